package io.pgmigrate.check.logical;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What logical replication does not carry: each kind named, with the plan's way to carry it. */
class NotReplicatedTest {
    private static Facts relation(String id, String db, String schema, String name, String... more) {
        Facts f = Facts.healthy();
        String[] values = new String[4 + more.length];
        values[0] = "schema_name";
        values[1] = schema;
        values[2] = "relation_name";
        values[3] = name;
        System.arraycopy(more, 0, values, 4, more.length);
        return f.probe(id, db, values);
    }

    @Test
    void nothingFoundNothingSaid() {
        Facts f = Facts.healthy();
        for (NotReplicated c : new NotReplicated[]{new UnloggedTables(), new MaterializedViews(), new ForeignTables(),
                new NonHeapTables(), new LargeObjects(), new Sequences()}) {
            assertThat(Logical.run(c, f)).as(c.id()).isEmpty();
        }
    }

    @Test
    void unloggedTablesArriveEmpty() {
        Finding x = Logical.one(new UnloggedTables(), relation(UnloggedTables.ID, "shop", "public", "Sessions"));
        assertThat(x.severity()).isEqualTo(Severity.WARNING);
        assertThat(x.title()).isEqualTo("1 unlogged table(s): not replicated");
        assertThat(x.objects()).containsExactly("db shop: public.\"Sessions\"");
        assertThat(x.fix()).contains("creates them on green with the schema, empty", "SET LOGGED");
    }

    @Test
    void materializedViewsAreRefreshedOnGreen() {
        Finding x = Logical.one(new MaterializedViews(), relation(MaterializedViews.ID, "shop", "rep", "Daily Sales"));
        assertThat(x.severity()).isEqualTo(Severity.INFO);
        assertThat(x.objects()).containsExactly("db shop: rep.\"Daily Sales\"");
        assertThat(x.fix().lines()).containsExactly(
                "The plan creates them on green with the schema and refreshes them there once the initial copy is"
                        + " done, before the cutover, so that clients never find one unpopulated on green, and again"
                        + " after the switch, when green's tables are final, with:",
                "-- in database shop:",
                "REFRESH MATERIALIZED VIEW \"rep\".\"Daily Sales\";");
    }

    @Test
    void foreignTablesNameTheirServer() {
        Finding x = Logical.one(new ForeignTables(), relation(ForeignTables.ID, "shop", "public", "remote_orders",
                "server_name", "billing"));
        assertThat(x.objects()).containsExactly("db shop: public.remote_orders (server billing)");
        assertThat(x.fix()).contains("accepts connections from green's host");
    }

    @Test
    void nonHeapTablesAreCopiedAtTheFrozenPoint() {
        Finding x = Logical.one(new NonHeapTables(), relation(NonHeapTables.ID, "shop", "public", "facts",
                "access_method", "columnar"));
        assertThat(x.severity()).isEqualTo(Severity.WARNING);
        assertThat(x.objects()).containsExactly("db shop: public.facts (USING columnar)");
        assertThat(x.fix()).contains("copies their contents at the frozen point", "lengthens the write outage");
    }

    @Test
    void largeObjectsAreCountedPerDatabase() {
        Facts f = Facts.healthy()
                .probe(LargeObjects.ID, "shop", "large_objects", "3", "size_bytes", "16384")
                .probe(LargeObjects.ID, "docs", "large_objects", "1200", "size_bytes", String.valueOf(5L << 30));
        Finding x = Logical.one(new LargeObjects(), f);
        assertThat(x.severity()).isEqualTo(Severity.WARNING);
        assertThat(x.title()).isEqualTo("1203 large object(s): not replicated");
        assertThat(x.objects()).containsExactly("db shop: 3 large object(s), 16 KiB",
                "db docs: 1200 large object(s), 5 GiB");
        assertThat(x.fix()).contains("at the frozen point", "with their oids, owners, privileges and contents",
                "write outage grows with their size");
    }

    @Test
    void sequencesAreCopiedAtTheCutover() {
        Facts f = Facts.healthy().probe(Sequences.ID, "shop", "sequences", "7");
        Finding x = Logical.one(new Sequences(), f);
        assertThat(x.severity()).isEqualTo(Severity.INFO);
        assertThat(x.title()).isEqualTo("7 sequence(s): not replicated");
        assertThat(x.objects()).containsExactly("db shop: 7 sequence(s)");
        assertThat(x.fix()).contains("last_value and is_called of every sequence", "frozen point of the cutover");
    }
}
