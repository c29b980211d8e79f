package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Subscriptions and unlogged tables on a real PostgreSQL 15 (the checks that carry, with consequences). */
class SubscriptionsAndUnloggedIT extends SourceClusterSupport {
    @Test
    void subscriptionsFrom15MustBeRefreshed() {
        String db = database("Replica \"Side\"");
        pg.sql(db, "CREATE SUBSCRIPTION \"Orders Sub\" CONNECTION 'host=127.0.0.1 port=1 dbname=nowhere'"
                + " PUBLICATION pub WITH (connect = false)");
        try {
            List<Finding> findings = run(new Subscriptions());
            assertThat(findings).singleElement().satisfies(x -> {
                assertThat(x.severity()).isEqualTo(Severity.WARNING);
                assertThat(x.objects()).containsExactly("subscription \"Orders Sub\" in db \"Replica \"\"Side\"\"\" (disabled)");
                assertThat(x.fix()).contains("-- in database \"Replica \"\"Side\"\"\":",
                        "ALTER SUBSCRIPTION \"Orders Sub\" ENABLE;");
            });
        } finally {
            pg.sql(db, "ALTER SUBSCRIPTION \"Orders Sub\" SET (slot_name = NONE)", "DROP SUBSCRIPTION \"Orders Sub\"");
        }
        assertThat(run(new Subscriptions())).isEmpty();
    }

    @Test
    void unloggedTablesAreListed() {
        String db = database("Cache DB");
        pg.sql(db, "CREATE UNLOGGED TABLE \"Sessions\" (id int)", "CREATE UNLOGGED SEQUENCE session_ids",
                "CREATE TABLE logged (id int)");
        List<Finding> findings = run(new UnloggedTables());
        assertThat(findings).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.INFO);
            assertThat(x.objects()).containsExactly("db \"Cache DB\": public.\"Sessions\"",
                    "db \"Cache DB\": sequence public.session_ids");
        });
        pg.sql(db, "ALTER TABLE \"Sessions\" SET LOGGED", "ALTER SEQUENCE session_ids SET LOGGED");
        assertThat(run(new UnloggedTables())).isEmpty();
    }
}
