package io.pgmigrate.examples;

import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.inspect.RealClusters;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.rehearsal.SchemaRehearsal;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.transport.LocalShell;
import io.pgmigrate.testing.Toolchain;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The facts behind the example plan come from a real PostgreSQL 15 cluster. Run with
 * {@code -Dpgmigrate.recordExamples=true} to record them again (paths and ports rewritten to a
 * Debian layout); otherwise this checks that freshly inspected facts still have the recorded shape,
 * so the example cannot silently drift from what inspection produces.
 */
class ExampleFactsIT {
    @Test
    void recordedFactsMatchWhatInspectionProduces() throws Exception {
        try (PgCluster pg = PgCluster.start(15)) {
            pg.createDatabase("shop");
            pg.sql("shop",
                    "CREATE EXTENSION pgcrypto",
                    "CREATE EXTENSION citext",
                    "CREATE TYPE order_state AS ENUM ('new', 'paid', 'shipped')",
                    "CREATE TABLE customers (id bigserial PRIMARY KEY, email citext UNIQUE NOT NULL, created_at timestamptz)",
                    "CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint REFERENCES customers,"
                            + " state order_state, total numeric(12,2), placed_at timestamptz)",
                    "CREATE INDEX ON orders (placed_at)",
                    "INSERT INTO customers (email) SELECT 'u' || i || '@example.com' FROM generate_series(1, 1000) i",
                    "INSERT INTO orders (customer_id, state, total) SELECT 1 + i % 1000, 'paid', i FROM generate_series(1, 5000) i",
                    "CREATE VIEW paid_orders AS SELECT * FROM orders WHERE state = 'paid'");
            RealClusters rc = new RealClusters(pg);
            rc.targetDataDir = pg.root().resolve("data18");
            rc.mode = io.pgmigrate.inventory.Inventory.UpgradeMode.LINK;
            rc.become = OsUser.isRoot() ? OsUser.POSTGRES : null;
            ClusterFacts inspected = rc.inspect();
            ClusterFacts fresh;
            try (LocalShell shell = new LocalShell(rc.become)) {
                fresh = inspected.withRehearsal(new SchemaRehearsal(rc.inventory(), inspected.source(), shell).run());
            }
            assertThat(fresh.rehearsal().errors()).isEmpty();
            String json = debianLayout(PlanJson.write(fresh), pg);
            ClusterFacts normalised = PlanJson.mapper().readValue(json, ClusterFacts.class);
            Path file = ExamplePlansTest.FACTS;
            if (Boolean.getBoolean("pgmigrate.recordExamples")) {
                Files.writeString(file, json);
            }
            ClusterFacts recorded = PlanJson.mapper().readValue(Files.readString(file), ClusterFacts.class);
            assertThat(recorded.source().probes().keySet()).isEqualTo(normalised.source().probes().keySet());
            assertThat(recorded.source().databases()).extracting(d -> d.name())
                    .isEqualTo(normalised.source().databases().stream().map(d -> d.name()).toList());
            assertThat(recorded.source().settings().keySet()).isEqualTo(normalised.source().settings().keySet());
            assertThat(recorded.target().configureOptions()).isEqualTo(normalised.target().configureOptions());
            assertThat(recorded.rehearsal()).isEqualTo(normalised.rehearsal());
        }
    }

    /** Rewrites the fixture's temporary paths and ports to what a Debian host would show. */
    static String debianLayout(String json, PgCluster pg) {
        String root = pg.root().toString();
        String pg18 = Toolchain.binDir(18).getParent().toString();
        return json.replace("\"unix_socket_directories\" : \"" + root + "\"", "\"unix_socket_directories\" : \"/var/run/postgresql\"")
                .replace(root + "/data18", "/var/lib/postgresql/18/main")
                .replace(root + "/data", "/var/lib/postgresql/15/main")
                .replace(root, "/var/lib/postgresql")
                .replace(pg18 + "/bin", "/usr/lib/postgresql/18/bin")
                .replace(pg18 + "/lib", "/usr/lib/postgresql/18/lib")
                .replace(pg18 + "/share", "/usr/share/postgresql/18")
                .replace(pg18, "/usr/lib/postgresql/18")
                .replace("\"" + pg.port() + "\"", "\"5432\"");
    }
}
