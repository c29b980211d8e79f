package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.Dumps;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.Toolchain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * PostgreSQL 13 → 18 in place, on a real 13 cluster that holds everything pg_upgrade 18 --check rejects from a 13:
 * a user-defined postfix operator, an aggregate and an operator on the old polymorphic array functions, a
 * user-defined encoding conversion (the checks gated to sources ≤ 13), aclitem (≤ 15), reg* and system composite
 * columns (all sources), an inheritance child without its parent's NOT NULL (≤ 17), a database that refuses
 * connections, an open prepared transaction, and an extension 18 no longer ships (adminpack, removed in 17).
 * {@code plan} names each with its objects and fix; once the fixes ran, a new plan is ready, {@code execute --swap}
 * and {@code verify} pass, and PostgreSQL 18's data-only {@code pg_dumpall} reads the same before and after.
 *
 * <p>Not here because a 13 cannot hold them: tables WITH OIDS and the removed abstime/reltime/tinterval and
 * sql_identifier columns (≤ 11), roles named pg_* (≤ 9.5), unknown and line columns (≤ 9.6, ≤ 9.3), jsonb of 9.4
 * beta; the isn bigint check needs a source built with float8 passed by reference (32-bit), and the Unicode and
 * logical slot/subscription checks apply from 17 (unit-tested; no 17 here).
 */
class Pg13SourceChecksIT {
    private static final String DB = "Legacy App";
    private static final String CLOSED = "Closed Shop";
    private static final String IN_DB = "db \"Legacy App\": ";

    @TempDir
    Path dir;

    @Test
    void everyCheckFiresNamedWithItsFixAndAfterTheFixes13UpgradesTo18WithTheSameData() throws Exception {
        assumeTrue(Toolchain.has(13), "no PostgreSQL 13 binaries");
        try (PgCluster pg = PgCluster.start(13)) {
            try {
                seed(pg);
                Path inventory = TestInventory.write(dir, "legacy", pg, TestInventory.localHost(), "swap",
                        PgCluster.freePort());
                // no data fingerprints: a 13 cannot compute them (hash_record_extended came with 14)
                Files.writeString(inventory, "  verify: { rowCounts: exact }\n", StandardOpenOption.APPEND);

                // the inventory's target.version 18 pointing at the 15 binaries: refused before any plan
                Path wrongBin = TestInventory.write(dir, "wrongbin", pg, TestInventory.localHost(), "link",
                        PgCluster.freePort(), pg.port(), Toolchain.binDir(15));
                CliRun refused = CliRun.of("plan", "-i", wrongBin.toString(), "-o", dir.toString());
                assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
                assertThat(refused.err().lines()).singleElement().asString().contains(wrongBin + ": target.binDir: "
                        + Toolchain.binDir(15) + " holds PostgreSQL 15 binaries", "but target.version is 18");

                Plan blocked = plan(inventory, 3);
                assertFindings(blocked);
                String markdown = Files.readString(dir.resolve("legacy.plan.md"));
                assertThat(markdown).contains("User-defined postfix operators",
                        "DROP OPERATOR \"Old Ops\".!!! (bigint, NONE);",
                        "DROP AGGREGATE \"Old Ops\".\"array_accum\"(anyelement);",
                        "DROP CONVERSION \"Old Ops\".\"Utf8 To Latin1\";");

                applyFixes(pg, blocked);
                Plan ready = plan(inventory, 0);
                assertThat(ready.blockers()).isEmpty();
                assertThat(ready.sourceVersion()).startsWith("13.");

                String before = dataDump(pg);
                assertThat(before).contains("COPY \"Old Ops\".orders", "COPY public.stock");

                Path planFile = dir.resolve("legacy.plan.json");
                CliRun execute = CliRun.of("execute", "-i", inventory.toString(), planFile.toString());
                assertThat(execute.exitCode()).as(execute.err() + execute.out()).isZero();
                assertThat(execute.out()).contains("executed: the new cluster serves on port " + pg.port());
                assertThat(serverVersion(pg)).startsWith("18.");

                CliRun verify = CliRun.of("verify", "-i", inventory.toString(), planFile.toString());
                assertThat(verify.exitCode()).as(verify.err() + verify.out()).isZero();
                assertThat(verify.out()).contains("PASSED row counts", "PASSED schema");

                assertThat(dataDump(pg)).isEqualTo(before);
            } finally {
                pg.stopUpgraded();
            }
        }
    }

    /** What a 13 → 18 upgrade refuses, with data around it. */
    private static void seed(PgCluster pg) {
        pg.createDatabase(DB);
        pg.sql(DB,
                "CREATE SCHEMA \"Old Ops\"",
                // postfix operator (≤ 13): factorial of a bigint, as 13's own ! was
                "CREATE OPERATOR \"Old Ops\".!!! (LEFTARG = bigint, PROCEDURE = numeric_fac)",
                // old polymorphic array functions (≤ 13)
                "CREATE AGGREGATE \"Old Ops\".array_accum(anyelement) (SFUNC = array_append, STYPE = anyarray,"
                        + " INITCOND = '{}')",
                "CREATE OPERATOR \"Old Ops\".@@+ (LEFTARG = anyarray, RIGHTARG = anyelement,"
                        + " PROCEDURE = array_append)",
                // user-defined conversion (≤ 13), on a conversion function 13 ships
                "CREATE CONVERSION \"Old Ops\".\"Utf8 To Latin1\" FOR 'UTF8' TO 'LATIN1' FROM utf8_to_iso8859_1",
                // aclitem (≤ 15), reg* whose OIDs change (all), regclass is carried
                "CREATE TABLE \"Old Ops\".perms (id int PRIMARY KEY, acl aclitem, fn regproc, rel regclass, note text)",
                "INSERT INTO \"Old Ops\".perms SELECT i, 'postgres=r/postgres', 'now', 'pg_class', 'p' || i"
                        + " FROM generate_series(1, 50) i",
                // a catalog's row type (all)
                "CREATE TABLE \"Old Ops\".snap (id int, arch pg_catalog.pg_stat_archiver)",
                "INSERT INTO \"Old Ops\".snap SELECT 1, a FROM pg_catalog.pg_stat_archiver a",
                // a child without its parent's NOT NULL (≤ 17)
                "CREATE TABLE \"Old Ops\".parent (id int NOT NULL, v text)",
                "CREATE TABLE \"Old Ops\".child () INHERITS (\"Old Ops\".parent)",
                "ALTER TABLE \"Old Ops\".child ALTER COLUMN id DROP NOT NULL",
                "INSERT INTO \"Old Ops\".child SELECT i, 'c' || i FROM generate_series(1, 100) i",
                // an extension 17 removed: its library is missing on 18
                "CREATE EXTENSION adminpack",
                // data that is carried as it is
                "CREATE TABLE \"Old Ops\".orders (id bigserial PRIMARY KEY, total numeric(10,2), at timestamptz"
                        + " DEFAULT '2024-01-01 12:00+00')",
                "INSERT INTO \"Old Ops\".orders (total) SELECT i / 7.0 FROM generate_series(1, 5000) i",
                "CREATE INDEX orders_total ON \"Old Ops\".orders (total)",
                "SELECT pg_catalog.lo_from_bytea(0, 'a large object')",
                "BEGIN", "INSERT INTO \"Old Ops\".orders (total) VALUES (-1)",
                "PREPARE TRANSACTION 'legacy-pending'",
                "ANALYZE");
        pg.createDatabase(CLOSED);
        pg.sql(CLOSED, "CREATE TABLE stock (sku text PRIMARY KEY, qty int)",
                "INSERT INTO stock SELECT 'sku-' || i, i FROM generate_series(1, 200) i", "ANALYZE");
        pg.sql("postgres", "ALTER DATABASE \"Closed Shop\" ALLOW_CONNECTIONS false");
    }

    private Plan plan(Path inventory, int exit) throws Exception {
        CliRun run = CliRun.of("plan", "-i", inventory.toString(), "-o", dir.toString());
        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(exit);
        return PlanJson.read(Files.readString(dir.resolve("legacy.plan.json")));
    }

    private static void assertFindings(Plan plan) {
        Map<String, Finding> blockers = plan.blockers().stream()
                .collect(Collectors.toMap(Finding::check, f -> f, (a, b) -> a));
        assertThat(blockers).as(plan.findings().toString()).containsKeys(PostfixOperators.ID,
                IncompatiblePolymorphics.ID, UserDefinedEncodingConversions.ID, AclitemColumns.ID,
                RegTypeColumns.ID, SystemCompositeColumns.ID, NotNullInheritance.ID, ConnectionSettings.ID,
                LoadableLibraries.ID, "prepared-transactions");

        expect(blockers.get(PostfixOperators.ID), List.of(IN_DB + "operator \"Old Ops\".!!! (bigint, NONE)"),
                "DROP OPERATOR \"Old Ops\".!!! (bigint, NONE);");
        expect(blockers.get(IncompatiblePolymorphics.ID),
                List.of(IN_DB + "aggregate \"Old Ops\".array_accum(anyelement)",
                        IN_DB + "operator \"Old Ops\".@@+ (anyarray, anyelement)"),
                "DROP AGGREGATE \"Old Ops\".\"array_accum\"(anyelement);",
                "DROP OPERATOR \"Old Ops\".@@+ (anyarray, anyelement);");
        expect(blockers.get(UserDefinedEncodingConversions.ID),
                List.of(IN_DB + "conversion \"Old Ops\".\"Utf8 To Latin1\""),
                "DROP CONVERSION \"Old Ops\".\"Utf8 To Latin1\";");
        expect(blockers.get(AclitemColumns.ID), List.of(IN_DB + "\"Old Ops\".perms.acl (aclitem)"),
                "ALTER TABLE \"Old Ops\".\"perms\" ALTER COLUMN \"acl\" TYPE text");
        expect(blockers.get(RegTypeColumns.ID), List.of(IN_DB + "\"Old Ops\".perms.fn (regproc)"),
                "ALTER TABLE \"Old Ops\".\"perms\" ALTER COLUMN \"fn\" TYPE text");
        expect(blockers.get(SystemCompositeColumns.ID), List.of(IN_DB + "\"Old Ops\".snap.arch (pg_stat_archiver)"),
                "ALTER TABLE \"Old Ops\".\"snap\" ALTER COLUMN \"arch\" TYPE text");
        expect(blockers.get(NotNullInheritance.ID),
                List.of(IN_DB + "\"Old Ops\".child.id (NOT NULL in parent \"Old Ops\".parent)"),
                "ALTER TABLE \"Old Ops\".\"child\" ALTER COLUMN \"id\" SET NOT NULL;");
        expect(blockers.get(ConnectionSettings.ID), List.of("database \"Closed Shop\" (datallowconn = false)"),
                "ALTER DATABASE \"Closed Shop\" ALLOW_CONNECTIONS true;");
        Finding libraries = blockers.get(LoadableLibraries.ID);
        assertThat(libraries.title()).isEqualTo("Library $libdir/adminpack is missing for PostgreSQL 18");
        assertThat(libraries.objects()).allSatisfy(o -> assertThat(o).startsWith(IN_DB + "function ")
                .endsWith(" uses $libdir/adminpack (extension adminpack)"));
        assertThat(libraries.fix()).contains("DROP EXTENSION \"adminpack\";");
        assertThat(blockers.get("prepared-transactions").objects()).singleElement().asString()
                .startsWith("prepared transaction 'legacy-pending' in database Legacy App (owner postgres");
        assertThat(blockers.get("prepared-transactions").fix()).contains("ROLLBACK PREPARED 'legacy-pending'");
    }

    private static void expect(Finding finding, List<String> objects, String... fixLines) {
        assertThat(finding.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(finding.objects()).as(finding.title()).containsExactlyElementsOf(objects);
        assertThat(finding.fix()).as(finding.title()).contains(fixLines);
    }

    /** The plan's fix scripts, run for real; the prepared transaction is rolled back as its finding says. */
    private static void applyFixes(PgCluster pg, Plan plan) {
        pg.sql(DB, "ROLLBACK PREPARED 'legacy-pending'");
        for (Finding f : plan.blockers()) {
            if (f.fix() != null && f.fix().contains("\n")) {
                SourceClusterSupport.applyFix(pg, f);
            }
        }
    }

    /** PostgreSQL 18's pg_dumpall --data-only of the cluster, without the lines that name versions or change per run. */
    private static String dataDump(PgCluster pg) {
        return Dumps.of("pg_dumpall", pg.port(), "--data-only");
    }

    private static String serverVersion(PgCluster pg) {
        try (var s = pg.connect("postgres")) {
            return s.query("SHOW server_version").get(0).get("server_version");
        }
    }
}
