package io.pgmigrate.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same DDL applied to a PostgreSQL 15 and an 18 cluster: every kind of object is listed, and the two
 * inventories differ only in ways the version change explains.
 */
class SchemaCompareIT {
    static PgCluster pg15;
    static PgCluster pg18;

    @BeforeAll
    static void start() {
        pg15 = PgCluster.start(15);
        pg18 = PgCluster.start(18);
        SchemaFixture.create(pg15);
        SchemaFixture.create(pg18);
    }

    @AfterAll
    static void stop() {
        if (pg15 != null) {
            pg15.close();
        }
        if (pg18 != null) {
            pg18.close();
        }
    }

    static SchemaInventory capture(PgCluster pg) {
        try (SqlSession s = pg.connect(SchemaFixture.DATABASE)) {
            return SchemaInventory.capture(s);
        }
    }

    @Test
    void theSameDdlOn15And18DiffersOnlyAsExpected() {
        SchemaInventory before = capture(pg15);
        SchemaInventory after = capture(pg18);
        assertThat(before.major()).isEqualTo(15);
        assertThat(after.major()).isEqualTo(18);
        SchemaComparison comparison = SchemaDiff.compare(before, after);
        comparison.expected().forEach(d -> System.out.println("expected between 15 and 18: " + d.describe()));
        assertThat(comparison.unexpected()).isEmpty();
        assertThat(comparison.expected()).extracting(SchemaDifference::what).containsOnly("version", "acl", "definition");
        assertThat(comparison.expected()).extracting(SchemaDifference::name)
                .contains("citext", "public.audit", "public.big_customers", "public.customers_sysuser_idx");
    }

    @Test
    void everyKindIsListedAndExtensionMembersAndNotNullConstraintsAreNot() {
        SchemaInventory inventory = capture(pg18);
        assertThat(inventory.objects()).extracting(SchemaObject::kind).containsAll(Arrays.asList(SchemaKind.values()));
        assertThat(inventory.objects()).extracting(SchemaObject::name)
                .as("citext's own functions and btree_gist's operator support stand behind their extension")
                .noneMatch(n -> n.startsWith("public.citext") || n.startsWith("public.gbt_"))
                .as("range constructors stand behind the range type")
                .doesNotContain("public.floatrange(double precision, double precision)")
                .as("PostgreSQL 18's NOT NULL constraints are column attributes")
                .noneMatch(n -> n.contains("_not_null"));
        assertThat(inventory.find(SchemaKind.COLUMN, "public.customers.email").attributes())
                .containsEntry("not null", "true").containsEntry("type", "public.citext")
                .containsEntry("comment", "unique, case-insensitive");
        assertThat(inventory.find(SchemaKind.COLUMN, "public.customers.\"Full Name\"").attributes())
                .containsEntry("acl", "reader=w/postgres").containsEntry("statistics", "500");
        assertThat(inventory.find(SchemaKind.SEQUENCE, "public.audit_id_seq").attributes())
                .containsEntry("owned by", "public.audit.id").doesNotContainKey("last value");
        assertThat(inventory.find(SchemaKind.SEQUENCE, "public.invoice_no").attributes())
                .containsEntry("increment", "5").containsEntry("cycle", "true").doesNotContainKey("owned by");
        assertThat(inventory.find(SchemaKind.TYPE, "public.state").attributes())
                .containsEntry("labels", "'new', 'paid', 'shipped'");
        assertThat(inventory.find(SchemaKind.TABLE, "public.\"Order \"\"Items\"\" 2024\"").attributes())
                .containsEntry("owner", "app_owner");
        assertThat(inventory.find(SchemaKind.DEFAULT_PRIVILEGES, "for role app_owner in schema \"Sales Dept\" on tables")
                .attributes()).containsEntry("acl", "reader=r/app_owner");
        assertThat(inventory.find(SchemaKind.PUBLICATION, "shop_pub").attributes())
                .containsEntry("tables", "public.audit, public.customers (id, email) WHERE (id > 0)")
                .containsEntry("publish", "insert, update, delete, truncate");
        assertThat(inventory.find(SchemaKind.PUBLICATION, "sales_inserts").attributes())
                .containsEntry("schemas", "\"Sales Dept\"").containsEntry("publish", "insert");
        assertThat(inventory.find(SchemaKind.EVENT_TRIGGER, "no_drop").attributes())
                .containsEntry("event", "ddl_command_start").containsEntry("tags", "DROP SCHEMA")
                .containsEntry("function", "public.no_drop");
        assertThat(inventory.find(SchemaKind.STATISTICS, "public.items_stats").attribute("definition"))
                .contains("ON customer_id, room FROM public.\"Order \"\"Items\"\" 2024\"");
        assertThat(inventory.find(SchemaKind.COLLATION, "public.\"Sort Order\"").attributes())
                .containsEntry("provider", "libc").containsEntry("collate", "C.UTF-8");
    }

    @Test
    void anInventoryIsJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        SchemaInventory inventory = capture(pg15);
        assertThat(json.readValue(json.writeValueAsString(inventory), SchemaInventory.class)).isEqualTo(inventory);
    }
}
