package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionSettingsIT extends SourceClusterSupport {
    private final ConnectionSettings check = new ConnectionSettings();

    @Test
    void findsDatabasesInspectionCannotEvenConnectTo() {
        String closed = database("Closed \"Archive\"");
        String invalid = database("half dropped");
        database("open");
        pg.sql("postgres",
                "ALTER DATABASE \"Closed \"\"Archive\"\"\" ALLOW_CONNECTIONS false",
                // what an interrupted DROP DATABASE leaves behind
                "UPDATE pg_catalog.pg_database SET datconnlimit = -2 WHERE datname = 'half dropped'",
                "ALTER DATABASE template0 ALLOW_CONNECTIONS true");
        try {
            assertThat(connectableDatabases()).doesNotContain(closed, invalid).contains("open");

            List<Finding> findings = run(check);

            assertThat(findings).extracting(Finding::title).containsExactly(
                    "Databases that do not allow connections", "Invalid databases (interrupted DROP DATABASE)",
                    "template0 allows connections");
            assertThat(findings.get(0).objects())
                    .containsExactly("database \"Closed \"\"Archive\"\"\" (datallowconn = false)");
            assertThat(findings.get(1).objects()).containsExactly("database \"half dropped\" (invalid: datconnlimit = -2)");
            assertThat(findings.get(2).objects()).containsExactly("database template0 (datallowconn = true)");

            findings.forEach(SourceClusterSupport::applyFix);
            assertThat(run(check)).isEmpty();
            assertThat(connectableDatabases()).contains(closed).doesNotContain(invalid, "template0");
        } finally {
            pg.sql("postgres", "ALTER DATABASE template0 ALLOW_CONNECTIONS false");
        }
    }
}
