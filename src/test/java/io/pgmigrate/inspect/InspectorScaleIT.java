package io.pgmigrate.inspect;

import io.pgmigrate.facts.ClusterFacts;

import io.pgmigrate.facts.SourceFacts.DatabaseFacts;
import io.pgmigrate.testing.PgCluster;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Inspection does no work per table: 10,000 tables over 3 databases are inspected in a few seconds. */
class InspectorScaleIT {
    private static final int TABLES_PER_DB = 3334;

    @Test
    void tenThousandTablesOverThreeDatabases() {
        try (PgCluster pg = PgCluster.start(15)) {
            List<String> dbs = List.of("a", "b", "c");
            for (String db : dbs) {
                pg.createDatabase(db);
                for (int from = 1; from <= TABLES_PER_DB; from += 1000) {
                    int to = Math.min(TABLES_PER_DB, from + 999);
                    pg.sql(db, "DO $$ BEGIN FOR i IN " + from + ".." + to
                            + " LOOP EXECUTE format('CREATE TABLE t%s (id int)', i); END LOOP; END $$");
                }
            }
            long start = System.nanoTime();
            ClusterFacts facts = new RealClusters(pg).inspect();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(facts.source().databases().stream().filter(d -> dbs.contains(d.name()))
                    .mapToLong(DatabaseFacts::relationCount).sum()).isEqualTo(3L * TABLES_PER_DB);
            assertThat(millis).as("inspection took %d ms", millis).isLessThan(5_000);
        }
    }
}
