package io.pgmigrate.verify;

import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How amcheck's answers become the report's check. Real corruption of an index cannot be made reliably on a live
 * server here, so the server's answer to bt_index_check (ERROR, SQLSTATE XX002) is played by a scripted session;
 * {@code IndexAmcheckIT} runs the real thing on healthy indexes.
 */
class IndexAmcheckTest {
    /** A session that answers the catalog queries with scripted rows and records every statement. */
    private static final class ScriptedSession implements SqlSession {
        final List<String> statements = new ArrayList<>();
        final List<SqlRow> indexes = new ArrayList<>();
        boolean amcheckInstalled;
        boolean amcheckAvailable = true;
        String corruptOid;

        void index(String oid, String schema, String name, String method, String collation) {
            Map<String, String> v = new LinkedHashMap<>();
            v.put("schema_name", collation == null ? null : "public");
            v.put("collation_name", collation == null ? "default" : collation);
            v.put("index_oid", oid);
            v.put("index_schema", schema);
            v.put("index_name", name);
            v.put("table_schema", "public");
            v.put("table_name", "people");
            v.put("index_method", method);
            v.put("index_valid", "true");
            indexes.add(new SqlRow(v));
        }

        @Override
        public List<SqlRow> query(String sql, Object... params) {
            statements.add(sql);
            if (sql.equals("SHOW server_version_num")) {
                return List.of(new SqlRow(Map.of("server_version_num", "180001")));
            }
            if (sql.contains("pg_collation_actual_version")) {
                return indexes;
            }
            if (sql.contains("pg_extension")) {
                return amcheckInstalled ? List.of(new SqlRow(Map.of("schema_name", "public"))) : List.of();
            }
            if (sql.contains("bt_index_check")) {
                if (corruptOid != null && sql.contains("(" + corruptOid + "::")) {
                    throw new TransportException("query failed on shop: ERROR: item order invariant violated for"
                            + " index \"people_name\"", new SQLException("item order invariant violated", "XX002"));
                }
                return List.of(new SqlRow(Map.of("checked", "")));
            }
            throw new AssertionError("unexpected query " + sql);
        }

        @Override
        public void execute(String sql) {
            statements.add(sql);
            if (sql.startsWith("CREATE EXTENSION") && !amcheckAvailable) {
                throw new TransportException("statement failed on shop: ERROR: extension \"amcheck\" is not available",
                        new SQLException("extension \"amcheck\" is not available", "0A000"));
            }
        }

        @Override
        public String database() {
            return "shop";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aCorruptIndexFailsTheCheckNamingItAndTheServersError() {
        ScriptedSession s = new ScriptedSession();
        s.index("16401", "public", "people_name", "btree", "phone");
        s.index("16402", "public", "people_city", "btree", null);
        s.index("16402", "public", "people_city", "btree", "phone");
        s.index("16404", "public", "people_trgm", "gist", null);
        s.corruptOid = "16401";

        List<IndexAmcheck.Outcome> outcomes = IndexAmcheck.run(s, "shop");
        CheckResult r = IndexAmcheck.result(outcomes);

        assertThat(r.verdict()).isEqualTo(CheckResult.Verdict.FAILED);
        assertThat(r.summary()).isEqualTo("1 of 2 btree index(es) on a collation whose version changed are in order"
                + " (bt_index_check)");
        assertThat(r.problems()).containsExactly("db shop: index \"public\".\"people_name\" on \"public\".\"people\""
                + " (collation \"public\".\"phone\"): query failed on shop: ERROR: item order invariant violated for"
                + " index \"people_name\"; REINDEX INDEX \"public\".\"people_name\"");
        assertThat(r.notes()).first().asString().startsWith("db shop: index \"public\".\"people_trgm\"")
                .contains("is a gist index, which amcheck cannot check");
        assertThat(s.statements).as("the extension was created in the transaction that is rolled back")
                .contains("BEGIN", "CREATE EXTENSION amcheck SCHEMA pg_catalog")
                .filteredOn(x -> x.contains("bt_index_check")).hasSize(2)
                .allMatch(x -> x.startsWith("SELECT \"pg_catalog\".bt_index_check("));
        assertThat(s.statements.get(s.statements.size() - 1)).isEqualTo("ROLLBACK");
        assertThat(s.statements).filteredOn(x -> x.equals("ROLLBACK TO SAVEPOINT pgmigrate_amcheck")).hasSize(2);
    }

    @Test
    void anInstalledAmcheckIsUsedWhereItIs() {
        ScriptedSession s = new ScriptedSession();
        s.amcheckInstalled = true;
        s.index("16401", "public", "people_name", "btree", "phone");

        CheckResult r = IndexAmcheck.result(IndexAmcheck.run(s, "shop"));

        assertThat(r.verdict()).isEqualTo(CheckResult.Verdict.PASSED);
        assertThat(r.summary()).startsWith("1 of 1 btree index(es)");
        assertThat(s.statements).noneMatch(x -> x.startsWith("CREATE EXTENSION"))
                .anyMatch(x -> x.startsWith("SELECT \"public\".bt_index_check(16401::"));
    }

    @Test
    void withoutAmcheckTheIndexesAreNamedAsNotChecked() {
        ScriptedSession s = new ScriptedSession();
        s.amcheckAvailable = false;
        s.index("16401", "public", "people_name", "btree", "phone");

        CheckResult r = IndexAmcheck.result(IndexAmcheck.run(s, "shop"));

        assertThat(r.verdict()).isEqualTo(CheckResult.Verdict.WARNING);
        assertThat(r.problems()).containsExactly(
                "db shop: amcheck could not be created (statement failed on shop: ERROR: extension \"amcheck\" is not"
                        + " available); install the target version's contrib modules, or check by hand",
                "db shop: index \"public\".\"people_name\" on \"public\".\"people\" (collation \"public\".\"phone\")"
                        + " not checked: amcheck is not available");
        assertThat(s.statements.get(s.statements.size() - 1)).isEqualTo("ROLLBACK");
    }

    @Test
    void aDatabaseWithoutStaleCollationsIsNotTouched() {
        ScriptedSession s = new ScriptedSession();

        CheckResult r = IndexAmcheck.result(IndexAmcheck.run(s, "shop"));

        assertThat(r.verdict()).isEqualTo(CheckResult.Verdict.PASSED);
        assertThat(r.summary()).startsWith("no index depends on a collation whose recorded version differs");
        assertThat(s.statements).noneMatch(x -> x.equals("BEGIN") || x.startsWith("CREATE"));
    }

    @Test
    void theResultIsKeptWithTheDataOfTheNewClusterAndReportedFromIt(@org.junit.jupiter.api.io.TempDir
                                                                     java.nio.file.Path dir) {
        IndexAmcheck.Outcome corrupt = new IndexAmcheck.Outcome("shop", "\"public\".\"people_name\"",
                "\"public\".\"people\"", "btree", List.of("\"public\".\"phone\""), IndexAmcheck.Status.CORRUPT,
                "ERROR: item order invariant violated");
        ClusterSnapshot catalog = new ClusterSnapshot(java.time.Instant.EPOCH, 10, "18.1", null, null, null,
                List.of(), null, null);
        ClusterSnapshot data = new ClusterSnapshot(java.time.Instant.EPOCH, 10, "18.1", List.of(), List.of(),
                List.of(), null, List.of(), null, List.of(corrupt));
        java.nio.file.Path file = dir.resolve("after.json");
        Reports.writeBaseline(file, catalog.with(data));
        ClusterSnapshot after = Reports.readBaseline(file);
        assertThat(after.amcheck()).containsExactly(corrupt);

        Verification.Settings on = new Verification.Settings(io.pgmigrate.inventory.Inventory.RowCountMode.EXACT,
                false, false, 1, List.of(), false, true);
        ClusterSnapshot before = new ClusterSnapshot(java.time.Instant.EPOCH, 10, "15.8", List.of(), List.of(),
                List.of(), List.of(), List.of(), null);
        assertThat(new Verification(on, java.time.Clock.systemUTC()).compare(before, after))
                .filteredOn(c -> c.check().equals(IndexAmcheck.CHECK)).singleElement()
                .satisfies(c -> assertThat(c.verdict()).isEqualTo(CheckResult.Verdict.FAILED));
        assertThat(new Verification(on, java.time.Clock.systemUTC()).compare(before, catalog))
                .filteredOn(c -> c.check().equals(IndexAmcheck.CHECK)).singleElement()
                .satisfies(c -> assertThat(c.verdict()).isEqualTo(CheckResult.Verdict.PENDING));
        assertThat(new Verification(on, java.time.Clock.systemUTC()).withoutAmcheck().compare(before, after))
                .noneMatch(c -> c.check().equals(IndexAmcheck.CHECK));
    }
}
