package io.pgmigrate.verify;

import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Hashes a fixed set of literal values (every type family the row hash treats, both ways) in a
 * server, with the same SQL the fingerprints use. Run on both clusters: when the two results differ,
 * a fingerprint difference between them may come from the servers rather than the data, so it is
 * reported as not trustworthy ({@link #compare}) instead of as a data difference.
 */
public final class HashSelfTest {
    /** One literal: its label, the pg_catalog type name that decides its hashing, and its SQL. */
    record Sample(String label, String typname, String sql) {
    }

    static final List<Sample> SAMPLES = List.of(
            new Sample("int2", "int2", "'-32768'::pg_catalog.int2"),
            new Sample("int4", "int4", "'2147483647'::pg_catalog.int4"),
            new Sample("int8", "int8", "'-9223372036854775808'::pg_catalog.int8"),
            new Sample("bool", "bool", "true"),
            new Sample("char", "char", "'x'::pg_catalog.\"char\""),
            new Sample("bytea", "bytea", "'\\x00ff10'::pg_catalog.bytea"),
            new Sample("uuid", "uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::pg_catalog.uuid"),
            new Sample("date", "date", "'2024-02-29'::pg_catalog.date"),
            new Sample("date infinity", "date", "'-infinity'::pg_catalog.date"),
            new Sample("time", "time", "'23:59:59.999999'::pg_catalog.time"),
            new Sample("timetz", "timetz", "'12:00:00+03'::pg_catalog.timetz"),
            new Sample("timestamp", "timestamp", "'2024-02-29 12:34:56.789'::pg_catalog.timestamp"),
            new Sample("timestamptz", "timestamptz", "'2024-02-29 12:34:56.789+05'::pg_catalog.timestamptz"),
            new Sample("oid", "oid", "'4294967295'::pg_catalog.oid"),
            new Sample("macaddr", "macaddr", "'08:00:2b:01:02:03'::pg_catalog.macaddr"),
            new Sample("macaddr8", "macaddr8", "'08:00:2b:01:02:03:04:05'::pg_catalog.macaddr8"),
            new Sample("text", "text", "'héllo wörld ✓ 😀 ''q'' \"d\" \\'::pg_catalog.text"),
            new Sample("varchar", "varchar", "'abc'::pg_catalog.varchar(10)"),
            new Sample("bpchar", "bpchar", "'ab'::pg_catalog.bpchar(4)"),
            new Sample("name", "name", "'a name'::pg_catalog.name"),
            new Sample("numeric", "numeric", "'-123456789012345678901234567890.000100'::pg_catalog.numeric"),
            new Sample("numeric NaN", "numeric", "'NaN'::pg_catalog.numeric"),
            new Sample("numeric infinity", "numeric", "'-Infinity'::pg_catalog.numeric"),
            new Sample("float8", "float8", "'0.1'::pg_catalog.float8"),
            new Sample("float8 subnormal", "float8", "'4.9e-324'::pg_catalog.float8"),
            new Sample("float8 -0", "float8", "'-0'::pg_catalog.float8"),
            new Sample("float8 NaN", "float8", "'NaN'::pg_catalog.float8"),
            new Sample("float4", "float4", "'3.4028235e38'::pg_catalog.float4"),
            new Sample("interval", "interval", "'1 year 2 mons -3 days 04:05:06.789'::pg_catalog.interval"),
            new Sample("money", "money", "'-92233720368547758.08'::pg_catalog.money"),
            new Sample("jsonb", "jsonb", "'{\"b\": {\"c\": true}, \"a\": [1, 2.50, null, \"é\"]}'::pg_catalog.jsonb"),
            new Sample("json", "json", "'{\"b\":1,   \"a\":[2.50]}'::pg_catalog.json"),
            new Sample("int4[]", "_int4", "'{{1,NULL},{3,4}}'::pg_catalog.int4[]"),
            new Sample("text[]", "_text", "'{\"a b\",\"c\\\"d\",NULL,\"\"}'::pg_catalog.text[]"),
            new Sample("timestamptz[]", "_timestamptz", "'{\"2024-01-01 10:00+02\"}'::pg_catalog.timestamptz[]"),
            new Sample("bytea[]", "_bytea", "'{\"\\\\x01ff\"}'::pg_catalog.bytea[]"),
            new Sample("record", "record", "ROW(1, 'x y', NULL, '{1,2}'::pg_catalog.int4[], '1.50'::pg_catalog.numeric)"),
            new Sample("int4range", "int4range", "'[1,10)'::pg_catalog.int4range"),
            new Sample("tstzrange", "tstzrange", "'[2024-01-01 10:00+02,2024-01-02)'::pg_catalog.tstzrange"),
            new Sample("numrange", "numrange", "'(1.50,infinity)'::pg_catalog.numrange"),
            new Sample("int4multirange", "int4multirange", "'{[1,3),[5,7)}'::pg_catalog.int4multirange"),
            new Sample("regclass", "regclass", "'pg_catalog.pg_class'::pg_catalog.regclass"),
            new Sample("regtype", "regtype", "'integer[]'::pg_catalog.regtype"),
            new Sample("inet", "inet", "'192.168.1.5/24'::pg_catalog.inet"),
            new Sample("cidr", "cidr", "'10.0.0.0/8'::pg_catalog.cidr"),
            new Sample("varbit", "varbit", "'1011'::pg_catalog.varbit"),
            new Sample("point", "point", "'(1.5,-2)'::pg_catalog.point"),
            new Sample("tsvector", "tsvector", "'a fat:1 cat'::pg_catalog.tsvector"),
            new Sample("xml", "xml", "'<a x=\"1\">t</a>'::pg_catalog.xml"),
            new Sample("pg_lsn", "pg_lsn", "'16/B374D848'::pg_catalog.pg_lsn"),
            new Sample("null", "int4", "NULL::pg_catalog.int4"));

    /** What one server printed: its version and each sample's row hash (plus "row" and "aggregate"). */
    public record Result(String serverVersion, Map<String, String> hashes) {
        public Result {
            hashes = new TreeMap<>(hashes);
        }
    }

    /**
     * Whether fingerprints of the two servers can be compared.
     *
     * @param differing the samples whose hash differs (empty when trusted)
     */
    public record Outcome(boolean trusted, List<String> differing, String detail) {
    }

    private HashSelfTest() {
    }

    private static List<HashedColumn> columns() {
        List<HashedColumn> out = new ArrayList<>();
        for (int i = 0; i < SAMPLES.size(); i++) {
            Sample s = SAMPLES.get(i);
            out.add(HashedColumn.of("c" + i, s.typname(), s.typname(), false));
        }
        return out;
    }

    /** The samples as one row of columns c0, c1, …; {@code int4} replaced by -1 when {@code variant}. */
    private static String values(boolean variant) {
        return "SELECT " + IntStream.range(0, SAMPLES.size())
                .mapToObj(i -> (variant && SAMPLES.get(i).label().equals("int4") ? "'-1'::pg_catalog.int4"
                        : SAMPLES.get(i).sql()) + " AS " + SqlIdentifiers.quote("c" + i))
                .collect(Collectors.joining(", "));
    }

    /**
     * One query: each sample's row hash as a one-column row ({@code s0}, {@code s1}, …), all samples as
     * one row ({@code row}), and the fingerprint aggregate over three rows of which two are equal
     * ({@code aggregate}: count/sum).
     */
    static String sql() {
        List<HashedColumn> cols = columns();
        String each = IntStream.range(0, cols.size())
                .mapToObj(i -> FingerprintSql.rowHash(List.of(cols.get(i))) + "::pg_catalog.text AS s" + i)
                .collect(Collectors.joining(", "));
        String three = values(false) + " UNION ALL " + values(false) + " UNION ALL " + values(true);
        return "SELECT " + each + ", " + FingerprintSql.rowHash(cols) + "::pg_catalog.text AS row, "
                + "(SELECT pg_catalog.count(*)::pg_catalog.text || '/' || pg_catalog.sum(" + FingerprintSql.mixed("a")
                + ")::pg_catalog.text FROM (SELECT " + FingerprintSql.rowHash(cols) + " AS h FROM (" + three
                + ") t OFFSET 0) a) AS aggregate FROM (" + values(false) + ") v";
    }

    /** Runs the self-test on a session with the settings pinned ({@link Fingerprinter#on}). */
    public static Result run(Fingerprinter fingerprinter) {
        SqlSession session = fingerprinter.session();
        String version = session.query("SELECT pg_catalog.current_setting('server_version') AS v").get(0).get("v");
        SqlRow r = session.query(sql()).get(0);
        Map<String, String> hashes = new TreeMap<>();
        for (int i = 0; i < SAMPLES.size(); i++) {
            hashes.put(SAMPLES.get(i).label(), r.get("s" + i));
        }
        hashes.put("row", r.get("row"));
        hashes.put("aggregate", r.get("aggregate"));
        return new Result(version, hashes);
    }

    /** Trusted when every hash is the same on both; otherwise names the samples that differ. */
    public static Outcome compare(Result before, Result after) {
        if (!before.hashes().keySet().equals(after.hashes().keySet())) {
            return new Outcome(false, List.of(), "the hash self-tests of " + before.serverVersion() + " and "
                    + after.serverVersion() + " cover different values (taken by different pgmigrate versions)");
        }
        List<String> differing = before.hashes().keySet().stream()
                .filter(k -> !before.hashes().get(k).equals(after.hashes().get(k))).toList();
        if (differing.isEmpty()) {
            return new Outcome(true, List.of(), "the same hashes on " + before.serverVersion() + " and "
                    + after.serverVersion() + " for " + before.hashes().size() + " test values");
        }
        return new Outcome(false, differing, "PostgreSQL " + before.serverVersion() + " and " + after.serverVersion()
                + " hash the same values differently (" + String.join(", ", differing)
                + "): fingerprint differences between them are not evidence of different data");
    }
}
