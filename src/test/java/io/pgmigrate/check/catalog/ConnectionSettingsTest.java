package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.Probe;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.pgmigrate.check.catalog.CheckInputs.input;
import static io.pgmigrate.check.catalog.CheckInputs.path;
import static org.assertj.core.api.Assertions.assertThat;

class ConnectionSettingsTest {
    private final ConnectionSettings check = new ConnectionSettings();

    private static Facts db(Facts f, String name, String allow, String limit) {
        return f.probe("connection-settings", "postgres", "datname", name, "datallowconn", allow, "datconnlimit", limit);
    }

    @Test
    void probeReadsPgDatabaseOnceFromTheMaintenanceDatabase() {
        assertThat(check.appliesTo(path(12, 18))).isTrue();
        Probe p = check.probes(path(15, 18)).get(0);
        assertThat(p.scope()).isEqualTo(Probe.Scope.CLUSTER);
        assertThat(p.sql()).contains("FROM pg_catalog.pg_database d", "d.datconnlimit = -2");
    }

    @Test
    void quietWhenEveryDatabaseIsReachable() {
        assertThat(check.evaluate(input(Facts.healthy()))).isEmpty();
        // template0 refusing connections is how it should be (the probe does not even return it then)
        assertThat(check.evaluate(input(db(Facts.healthy(), "template0", "false", "-1")))).isEmpty();
    }

    @Test
    void databasesRefusingConnections() {
        Facts f = db(Facts.healthy(), "archive", "false", "-1");
        db(f, "Old \"Sales\"", "false", "5");
        List<Finding> findings = check.evaluate(input(f));
        assertThat(findings).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(x.title()).isEqualTo("Databases that do not allow connections");
            assertThat(x.objects()).containsExactly("database archive (datallowconn = false)",
                    "database \"Old \"\"Sales\"\"\" (datallowconn = false)");
            assertThat(x.fix()).isEqualTo("""
                    Allow connections for the upgrade (you may disallow them again afterwards), or drop the databases:
                    ALTER DATABASE "archive" ALLOW_CONNECTIONS true;
                    ALTER DATABASE "Old ""Sales""\" ALLOW_CONNECTIONS true;""");
        });
    }

    @Test
    void invalidDatabasesAndTemplate0() {
        Facts f = db(Facts.healthy(), "half_dropped", "true", "-2");
        db(f, "template0", "true", "-1");
        List<Finding> findings = check.evaluate(input(f));
        assertThat(findings).hasSize(2);
        assertThat(findings.get(0).title()).isEqualTo("Invalid databases (interrupted DROP DATABASE)");
        assertThat(findings.get(0).objects()).containsExactly("database half_dropped (invalid: datconnlimit = -2)");
        assertThat(findings.get(0).fix()).endsWith("\nDROP DATABASE \"half_dropped\";");
        assertThat(findings.get(1).title()).isEqualTo("template0 allows connections");
        assertThat(findings.get(1).objects()).containsExactly("database template0 (datallowconn = true)");
        assertThat(findings.get(1).fix()).isEqualTo("Disallow connections to it again:\n"
                + "ALTER DATABASE template0 ALLOW_CONNECTIONS false;");
        assertThat(findings).allMatch(x -> x.severity() == Severity.BLOCKER && x.check().equals("connection-settings"));
    }
}
