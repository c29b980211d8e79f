package io.pgmigrate.verify;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fingerprints tables over one session: {@link #on} pins the session's settings first. Needs
 * PostgreSQL 14 or later (hash_record_extended, TID range scans).
 */
public final class Fingerprinter {
    /** Slices of 128 MiB at the default 8 kB block: a 10 GB table gives ~80 units of parallel work. */
    public static final long DEFAULT_SLICE_PAGES = 16_384;
    static final int MIN_MAJOR = 14;

    private final SqlSession session;

    private Fingerprinter(SqlSession session) {
        this.session = session;
    }

    /** Checks the server version and pins the session's settings ({@link PinnedSettings}). */
    public static Fingerprinter on(SqlSession session) {
        long num = session.query("SELECT pg_catalog.current_setting('server_version_num') AS v").get(0).getLong("v");
        if (num / 10_000 < MIN_MAJOR) {
            throw new PgMigrateException(ExitCode.BAD_INPUT, "data fingerprints need PostgreSQL " + MIN_MAJOR
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

    /** See {@link BlockRange#slices}. */
    public static List<BlockRange> slices(long pages, long slicePages) {
        return BlockRange.slices(pages, slicePages);
    }
}
