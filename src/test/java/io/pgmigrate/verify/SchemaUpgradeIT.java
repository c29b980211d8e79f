package io.pgmigrate.verify;

import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.Toolchain;
import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A real pg_upgrade 15 → 18 of the fixture schema: the inventory before and after differs only as
 * expected; after the extensions are updated (pg_upgrade's update_extensions.sql) their versions differ,
 * expected too; and changes a DBA could make by mistake afterwards are each named, not expected.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchemaUpgradeIT {
    static PgCluster old;
    static PgCluster upgraded;
    static Path work;
    static SchemaInventory before;
    static SchemaInventory crmBefore;

    @BeforeAll
    static void upgrade() throws Exception {
        old = PgCluster.start(15);
        SchemaFixture.create(old);
        SchemaFixture.createCitextTrigger(old);
        before = capture(old, SchemaFixture.DATABASE);
        crmBefore = capture(old, SchemaFixture.CITEXT_DATABASE);
        old.stopServer();
        upgraded = PgCluster.create(18, PgCluster.Init.defaults());
        work = Files.createTempDirectory(Path.of("/tmp"), "pgm-schema-upgrade-");
        OsUser.chownToOwner(work);
        Path bin = Toolchain.binDir(18);
        String command = "cd '" + work + "' && exec " + String.join(" ", List.of(bin.resolve("pg_upgrade").toString(),
                "-b", Toolchain.binDir(15).toString(), "-B", bin.toString(),
                "-d", old.dataDir().toString(), "-D", upgraded.dataDir().toString(),
                "-p", String.valueOf(old.port()), "-P", String.valueOf(upgraded.port()),
                "-U", PgCluster.SUPERUSER, "--socketdir", work.toString(), "--no-sync"));
        OsUser.Result run = OsUser.runAsOwner(List.of("sh", "-c", command), false);
        System.out.println(run.output());
        upgraded.startServer();
    }

    @AfterAll
    static void stop() {
        if (upgraded != null) {
            upgraded.close();
        }
        if (old != null) {
            old.close();
        }
        if (work != null) {
            PgCluster.deleteTree(work);
        }
    }

    static SchemaInventory capture(PgCluster pg) {
        return capture(pg, SchemaFixture.DATABASE);
    }

    static SchemaInventory capture(PgCluster pg, String database) {
        try (SqlSession s = pg.connect(database)) {
            return SchemaInventory.capture(s);
        }
    }

    @Test
    @Order(1)
    void aCleanUpgradeKeepsTheSchema() {
        SchemaInventory after = capture(upgraded);
        assertThat(after.major()).isEqualTo(18);
        SchemaComparison comparison = SchemaDiff.compare(before, after);
        comparison.expected().forEach(d -> System.out.println("expected after pg_upgrade: " + d.describe()));
        assertThat(comparison.unexpected()).isEmpty();
        assertThat(comparison.passed()).isTrue();
        assertThat(comparison.objectsAfter()).isEqualTo(comparison.objectsBefore()).isGreaterThan(100);
    }

    /**
     * Found by this comparison: pg_upgrade (like any dump and restore) turns a citext IS DISTINCT FROM in
     * a trigger's WHEN clause into a text comparison, so the trigger now fires on a change of case.
     */
    @Test
    @Order(1)
    void aTriggerConditionThatChangedMeaningIsNamed() {
        SchemaComparison comparison = SchemaDiff.compare(crmBefore, capture(upgraded, SchemaFixture.CITEXT_DATABASE));
        comparison.unexpected().forEach(d -> System.out.println("unexpected in crm: " + d.describe()));
        assertThat(comparison.unexpected()).singleElement().satisfies(d -> {
            assertThat(d.database()).isEqualTo("crm");
            assertThat(d.kind()).isEqualTo(SchemaKind.TRIGGER);
            assertThat(d.name()).isEqualTo("contacts_touch on public.contacts");
            assertThat(d.what()).isEqualTo("definition");
            assertThat(d.before()).contains("WHEN ((old.email IS DISTINCT FROM new.email))");
            assertThat(d.after()).contains("WHEN (((old.email)::text IS DISTINCT FROM (new.email)::text))");
        });
    }

    @Test
    @Order(2)
    void updatedExtensionsAreAnExpectedDifference() {
        Path script = work.resolve("update_extensions.sql");
        assertThat(script).as("pg_upgrade writes update_extensions.sql when extensions have updates").exists();
        OsUser.runAsOwner(List.of(Toolchain.binDir(18).resolve("psql").toString(), "-X", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", String.valueOf(upgraded.port()), "-U", PgCluster.SUPERUSER, "-d",
                "postgres", "-f", script.toString()), false);
        SchemaComparison comparison = SchemaDiff.compare(before, capture(upgraded));
        assertThat(comparison.differences()).filteredOn(d -> d.kind() == SchemaKind.EXTENSION)
                .extracting(SchemaDifference::name, SchemaDifference::what, SchemaDifference::before,
                        SchemaDifference::after, SchemaDifference::expected)
                .containsExactly(tuple("btree_gist", "version", "1.7", "1.8", true),
                        tuple("citext", "version", "1.6", "1.8", true));
        comparison.expected().forEach(d -> System.out.println("expected after update_extensions.sql: " + d.describe()));
        assertThat(comparison.unexpected()).isEmpty();
    }

    @Test
    @Order(3)
    void changesAfterTheUpgradeAreEachNamed() {
        upgraded.sql(SchemaFixture.DATABASE,
                "DROP INDEX public.items_open_idx",
                "ALTER TABLE public.audit ALTER note TYPE varchar(200)",
                "REVOKE SELECT ON public.customers FROM reader",
                "CREATE OR REPLACE FUNCTION public.note_event() RETURNS trigger LANGUAGE plpgsql AS $$"
                        + " BEGIN RAISE NOTICE 'event'; RETURN NULL; END $$",
                "ALTER TABLE public.scratch OWNER TO writer");
        SchemaComparison comparison = SchemaDiff.compare(before, capture(upgraded));
        comparison.unexpected().forEach(d -> System.out.println("unexpected: " + d.describe()));
        assertThat(comparison.passed()).isFalse();
        assertThat(comparison.unexpected())
                .extracting(SchemaDifference::kind, SchemaDifference::name, SchemaDifference::change,
                        SchemaDifference::what)
                .containsExactlyInAnyOrder(
                        tuple(SchemaKind.INDEX, "public.items_open_idx", SchemaDifference.Change.MISSING, null),
                        tuple(SchemaKind.COLUMN, "public.audit.note", SchemaDifference.Change.CHANGED, "type"),
                        tuple(SchemaKind.TABLE, "public.customers", SchemaDifference.Change.CHANGED, "acl"),
                        tuple(SchemaKind.FUNCTION, "public.note_event()", SchemaDifference.Change.CHANGED, "body"),
                        tuple(SchemaKind.TABLE, "public.scratch", SchemaDifference.Change.CHANGED, "owner"),
                        tuple(SchemaKind.TABLE, "public.scratch", SchemaDifference.Change.CHANGED, "acl"));
        assertThat(comparison.unexpected()).filteredOn(d -> "type".equals(d.what()))
                .extracting(SchemaDifference::before, SchemaDifference::after)
                .containsExactly(tuple("text", "character varying(200)"));
        assertThat(comparison.unexpected()).filteredOn(d -> d.what() == null)
                .extracting(SchemaDifference::describe).singleElement().asString()
                .contains("index public.items_open_idx: missing after",
                        "CREATE INDEX items_open_idx ON public.\"Order \"\"Items\"\" 2024\"");
    }
}
