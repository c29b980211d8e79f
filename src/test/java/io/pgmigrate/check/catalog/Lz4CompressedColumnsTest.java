package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.Probe;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import static io.pgmigrate.check.catalog.CheckInputs.input;
import static io.pgmigrate.check.catalog.CheckInputs.path;
import static org.assertj.core.api.Assertions.assertThat;

class Lz4CompressedColumnsTest {
    private final Lz4CompressedColumns check = new Lz4CompressedColumns();

    private static Facts usingLz4() {
        Facts f = Facts.healthy();
        f.probe("lz4-compressed-columns", "shop", "schema_name", "public", "relation_name", "Docs", "relkind", "r",
                "column_name", "body");
        f.probe("lz4-compressed-columns", "shop", "schema_name", "public", "relation_name", "doc_stats", "relkind", "m",
                "column_name", "summary");
        f.probe("lz4-compressed-columns.settings", "postgres", "scope", "server", "database_name", null,
                "role_name", null);
        f.probe("lz4-compressed-columns.settings", "postgres", "scope", "override", "database_name", "shop",
                "role_name", null);
        f.probe("lz4-compressed-columns.settings", "postgres", "scope", "override", "database_name", null,
                "role_name", "App User");
        return f;
    }

    @Test
    void appliesFrom14() {
        assertThat(check.appliesTo(path(13, 18))).isFalse();
        assertThat(check.appliesTo(path(14, 18))).isTrue();
        assertThat(check.probes(path(15, 18))).extracting(Probe::id, Probe::scope).containsExactly(
                org.assertj.core.groups.Tuple.tuple("lz4-compressed-columns", Probe.Scope.EACH_DATABASE),
                org.assertj.core.groups.Tuple.tuple("lz4-compressed-columns.settings", Probe.Scope.CLUSTER));
    }

    @Test
    void quietWhenTheTargetHasLz4() {
        assertThat(check.evaluate(input(usingLz4()))).isEmpty();
    }

    @Test
    void quietWhenLz4IsNotUsed() {
        Facts f = Facts.healthy();
        f.configureOptions.remove("--with-lz4");
        assertThat(check.evaluate(input(f))).isEmpty();
    }

    @Test
    void firesWhenTheTargetLacksLz4() {
        Facts f = usingLz4();
        f.configureOptions.remove("--with-lz4");
        Finding x = check.evaluate(input(f)).get(0);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.objects()).containsExactly(
                "db shop: public.\"Docs\".body (COMPRESSION lz4)",
                "db shop: materialized view public.doc_stats.summary (COMPRESSION lz4)",
                "setting default_toast_compression = lz4 (server)",
                "setting default_toast_compression = lz4 for database shop",
                "setting default_toast_compression = lz4 for role \"App User\"");
        assertThat(x.fix()).endsWith("""
                -- in database shop:
                ALTER TABLE "public"."Docs" ALTER COLUMN "body" SET COMPRESSION pglz;
                ALTER MATERIALIZED VIEW "public"."doc_stats" ALTER COLUMN "summary" SET COMPRESSION pglz;
                ALTER SYSTEM SET default_toast_compression = pglz;  -- and remove it from postgresql.conf; then \
                SELECT pg_reload_conf();
                ALTER DATABASE "shop" RESET default_toast_compression;
                ALTER ROLE "App User" RESET default_toast_compression;""");
    }
}
