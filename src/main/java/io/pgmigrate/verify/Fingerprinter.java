package io.pgmigrate.verify;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.pg.DataFingerprints;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;

/**
 * Fingerprints tables over one session: {@link #on} pins the session's settings first. Needs
 * PostgreSQL 14 or later (hash_record_extended, TID range scans).
 */
public final class Fingerprinter {
    /** Slices of 128 MiB at the default 8 kB block: a 10 GB table gives ~80 units of parallel work. */
    public static final long DEFAULT_SLICE_PAGES = 16_384;
    /** Key ranges a table is cut into at most ({@link KeyBuckets}). */
    static final int BUCKETS = 64;
    /** Blocks the boundary sample reads at most (a table of up to this many is read whole). */
    static final long SAMPLE_PAGES = 256;
    /** Tables with fewer than two buckets' worth of rows are not cut (the table is its own range). */
    static final long ROWS_PER_BUCKET = 1_000;

    private final SqlSession session;

    private Fingerprinter(SqlSession session) {
        this.session = session;
    }

    /** Checks the server version and pins the session's settings ({@link PinnedSettings}). */
    public static Fingerprinter on(SqlSession session) {
        long num = session.query("SELECT pg_catalog.current_setting('server_version_num') AS v").get(0).getLong("v");
        if (!DataFingerprints.available((int) (num / 10_000))) {
            throw new PgMigrateException(ExitCode.BAD_INPUT, "data fingerprints need PostgreSQL "
                    + DataFingerprints.MIN_MAJOR
                    + " or later; database " + session.database() + " is on server version " + num
                    + " (leave data fingerprints off for this cluster)");
        }
        PinnedSettings.apply(session);
        return new Fingerprinter(session);
    }

    public SqlSession session() {
        return session;
    }

    /** The columns and key of a table as the fingerprint reads them. */
    public TableShape shape(TableRef table) {
        return TableShapes.read(session, table);
    }

    /** The fingerprint of a whole table. */
    public TableFingerprint fingerprint(TableRef table) {
        return fingerprint(shape(table), BlockRange.WHOLE);
    }

    /** The fingerprint of one slice of a table (the slices of a table add up with {@link TableFingerprint#plus}). */
    public TableFingerprint fingerprint(TableShape shape, BlockRange range) {
        long start = System.nanoTime();
        SqlRow r = session.query(FingerprintSql.fingerprint(shape, range)).get(0);
        String hash = r.get("hash");
        return new TableFingerprint(shape.table(), r.getLong("rows"), hash == null ? "0" : hash,
                shape.columnsDigest(), Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Where {@link KeyBuckets} cut the table: boundaries of its leading key column chosen from a block sample
     * (at most {@link #SAMPLE_PAGES} blocks), about one range per {@link #ROWS_PER_BUCKET} rows up to
     * {@link #BUCKETS}; null when the table has no key of a type cut into ranges, or too few rows (by the
     * planner's estimate, when there is one, without sampling: most tables of a database are small). The
     * result has no buckets yet: {@link #fingerprint(TableShape, BlockRange, KeyBuckets)} measures them.
     */
    public KeyBuckets cut(TableShape shape, long pages, long estimatedRows) {
        TableShape.KeyColumn column = KeyBucketSql.column(shape);
        boolean small = estimatedRows >= 0 && estimatedRows < 2 * ROWS_PER_BUCKET && pages <= SAMPLE_PAGES;
        if (column == null || small) {
            return null;
        }
        double percent = pages <= SAMPLE_PAGES ? 100.0 : 100.0 * SAMPLE_PAGES / pages;
        List<SqlRow> sample = session.query(KeyBucketSql.sample(shape, column, percent));
        List<String> values = sample.stream().map(r -> r.get("k0")).toList();
        List<Long> counts = sample.stream().map(r -> r.getLong("n")).toList();
        long sampled = counts.stream().mapToLong(Long::longValue).sum();
        long rows = pages <= SAMPLE_PAGES ? sampled : Math.max(estimatedRows, sampled * pages / SAMPLE_PAGES);
        int buckets = (int) Math.min(BUCKETS, rows / ROWS_PER_BUCKET);
        List<String> bounds = buckets < 2 ? List.of() : KeyBucketSql.bounds(values, counts, buckets);
        return bounds.isEmpty() ? null : new KeyBuckets(column, bounds, List.of());
    }

    /**
     * The fingerprint of one slice of a table with its rows counted and hashed per key range of {@code cut}
     * as well, in the same scan; without a cut, as {@link #fingerprint(TableShape, BlockRange)}.
     */
    public TableFingerprint fingerprint(TableShape shape, BlockRange range, KeyBuckets cut) {
        if (cut == null) {
            return fingerprint(shape, range);
        }
        long start = System.nanoTime();
        List<KeyBuckets.Bucket> buckets = session.query(KeyBucketSql.fingerprint(shape, range, cut.column(),
                cut.bounds())).stream().map(r -> new KeyBuckets.Bucket(Integer.parseInt(r.get("b")), r.getLong("rows"),
                r.get("hash"))).toList();
        long rows = buckets.stream().mapToLong(KeyBuckets.Bucket::rows).sum();
        BigInteger hash = buckets.stream().map(b -> new BigInteger(b.hash()))
                .reduce(BigInteger.ZERO, BigInteger::add);
        return new TableFingerprint(shape.table(), rows, hash.toString(), shape.columnsDigest(),
                Duration.ofNanos(System.nanoTime() - start), new KeyBuckets(cut.column(), cut.bounds(), buckets));
    }

    /** See {@link BlockRange#slices}. */
    public static List<BlockRange> slices(long pages, long slicePages) {
        return BlockRange.slices(pages, slicePages);
    }
}
