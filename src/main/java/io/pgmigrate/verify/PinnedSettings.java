package io.pgmigrate.verify;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The session settings pinned on both clusters before anything is hashed or a key is read back as
 * text, so that the same data gives the same text whatever the server, database, role or
 * postgresql.conf defaults are. Applied with plain {@code SET} (the session is autocommit and belongs
 * to the verification for its whole life), then read back: a setting that did not take is an error,
 * not a silent difference.
 */
public final class PinnedSettings {
    /** Name and value, in the order they are set. */
    public record Setting(String name, String value) {
    }

    /**
     * The settings that decide how a value prints as text: pinned for anything compared as text across
     * the two clusters, the hashes here and the inventory's smoke queries alike.
     */
    static final List<Setting> TEXT_OUTPUT = List.of(
            // timestamptz is hashed by its internal value, but inside arrays, composites, ranges and
            // JSON-free text casts it is printed in the session's zone: an ALTER DATABASE ... SET
            // timezone on one side would otherwise change every such row. Also how key values of
            // timestamptz columns are printed and read back during narrowing.
            new Setting("TimeZone", "UTC"),
            // date and timestamp text (inside arrays, composites, ranges, keys): ISO output, and MDY
            // so that reading a printed key back never depends on the server's DMY/YMD default.
            new Setting("DateStyle", "ISO, MDY"),
            // interval text ('1 day 02:00:00' vs 'P1DT2H' vs SQL standard form).
            new Setting("IntervalStyle", "postgres"),
            // float4/float8 text: any value above 0 prints the shortest text that reads back to the
            // same bits (PostgreSQL 12 and later, both 15 and 18); 0 or less rounds, so two distinct
            // floats could print (and hash) alike.
            new Setting("extra_float_digits", "1"),
            // bytea inside arrays and composites, and bytea keys: hex, never the old escape format.
            new Setting("bytea_output", "hex"),
            // money text: currency symbol, separators and fraction digits come from lc_monetary;
            // 'C' exists on every server and every role may set it.
            new Setting("lc_monetary", "C"),
            // numeric_out does not look at lc_numeric (only to_char does); pinned anyway so that a
            // later expression using to_char cannot pick up a per-database locale.
            new Setting("lc_numeric", "C"));

    /** What hashing and key narrowing pin on top of {@link #TEXT_OUTPUT}. */
    static final List<Setting> SETTINGS = Stream.concat(TEXT_OUTPUT.stream(), Stream.of(
            // key values are embedded as '...' literals with quotes doubled and backslashes literal.
            new Setting("standard_conforming_strings", "on"),
            // Empty: regclass/regtype/regproc... and format_type() print schema-qualified names for
            // every user object (the same text on a cluster where search_path differs), and no
            // function or operator of a user schema can stand in for the pg_catalog ones we call.
            new Setting("search_path", ""),
            // A database or role default statement_timeout would cancel the hash of a large table
            // part way; the verification run bounds its own time.
            new Setting("statement_timeout", "0"),
            // A role subject to row-level security would see, count and hash only the rows its policies
            // let through; off makes such a query fail instead (superusers and BYPASSRLS roles are not
            // affected either way).
            new Setting("row_security", "off"),
            // Hashing only reads: make any write in this session fail instead of happening.
            new Setting("default_transaction_read_only", "on"))).toList();

    /**
     * For the inventory's own queries: the text settings and read-only, while search_path, row
     * security and timeouts stay as the DBA's roles have them (the queries are written for those).
     */
    static final List<Setting> USER_QUERIES = Stream.concat(TEXT_OUTPUT.stream(),
            Stream.of(new Setting("default_transaction_read_only", "on"))).toList();

    private PinnedSettings() {
    }

    /** SETs every pinned setting on the session and checks that each one took. */
    public static void apply(SqlSession session) {
        apply(session, SETTINGS);
    }

    /** SETs and checks {@link #USER_QUERIES}: for smoke queries, run before and after and compared as text. */
    public static void applyForUserQueries(SqlSession session) {
        apply(session, USER_QUERIES);
    }

    private static void apply(SqlSession session, List<Setting> settings) {
        for (Setting s : settings) {
            session.execute("SET " + s.name() + " TO " + SqlIdentifiers.literal(s.value()));
        }
        for (Setting s : settings) {
            List<SqlRow> rows = session.query("SELECT pg_catalog.current_setting(?) AS v", s.name());
            String actual = rows.get(0).get("v");
            if (!normalise(s.value()).equals(normalise(actual))) {
                throw new PgMigrateException(ExitCode.INTERNAL_ERROR, "setting " + s.name() + " is '" + actual
                        + "' on database " + session.database() + " after SET to '" + s.value() + "'");
            }
        }
    }

    private static String normalise(String v) {
        return v == null ? "" : v.replace("\"", "").replace(" ", "").toLowerCase(Locale.ROOT);
    }
}
