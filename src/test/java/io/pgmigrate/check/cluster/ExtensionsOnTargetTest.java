package io.pgmigrate.check.cluster;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.pgmigrate.testing.Facts.db;
import static io.pgmigrate.testing.Facts.ext;
import static org.assertj.core.api.Assertions.assertThat;

class ExtensionsOnTargetTest {
    private final ExtensionsOnTarget check = new ExtensionsOnTarget();

    @Test
    void upToDateExtensionsAreSilent() {
        Facts f = Facts.healthy();
        f.databases.add(db("app", 1000, 10, ext("pgcrypto", "1.4")));
        assertThat(Run.check(check, f)).isEmpty();
    }

    @Test
    void missingExtensionNamesDatabaseAndPackage() {
        Facts f = Facts.healthy();
        f.databases.add(db("gis", 1000, 10, ext("postgis", "3.3.2")));
        f.databases.add(db("maps", 1000, 10, ext("postgis", "3.3.2")));
        Finding x = Run.check(check, f).get(0);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.title()).isEqualTo("Extension postgis is not installed for the target PostgreSQL 18");
        assertThat(x.objects()).containsExactly("gis: postgis 3.3.2 (schema public)",
                "maps: postgis 3.3.2 (schema public)");
        assertThat(x.fix()).contains("postgresql-18-postgis-3");
        assertThat(x.detail()).contains("/usr/share/postgresql/18/extension");
    }

    @Test
    void missingContribPointsAtTheServerPackage() {
        Facts f = Facts.healthy();
        f.databases.add(db("app", 1000, 10, ext("hstore", "1.8")));
        assertThat(Run.check(check, f).get(0).fix()).contains("contrib", "postgresql-18;");
    }

    @Test
    void removedContribMustBeDropped() {
        Facts f = Facts.healthy();
        f.databases.add(db("app", 1000, 10, ext("adminpack", "2.1")));
        Finding x = Run.check(check, f).get(0);
        assertThat(x.title()).isEqualTo("Extension adminpack no longer exists in PostgreSQL 18");
        assertThat(x.fix()).contains("DROP EXTENSION adminpack;");
        assertThat(x.objects()).containsExactly("app: adminpack 2.1 (schema public)");
    }

    @Test
    void updatePathIsListedAsThePlansStatement() {
        Facts f = Facts.healthy();
        f.databases.add(db("app", 1000, 10, ext("pg_stat_statements", "1.10")));
        List<Finding> found = Run.check(check, f);
        assertThat(found).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.INFO);
            assertThat(x.detail()).contains("app: ALTER EXTENSION pg_stat_statements UPDATE; -- 1.10 → 1.11 → 1.12");
        });
    }

    @Test
    void noUpdatePathIsAWarning() {
        Facts f = Facts.healthy();
        f.databases.add(db("app", 1000, 10, ext("pg_stat_statements", "1.2")));
        Finding x = Run.check(check, f).get(0);
        assertThat(x.severity()).isEqualTo(Severity.WARNING);
        assertThat(x.objects()).containsExactly("app: pg_stat_statements 1.2 (schema public), target default 1.12");
    }

    @Test
    void updatePathSearch() {
        List<String> edges = List.of("1.0--1.1", "1.1--1.2", "1.0--1.2", "1.2--1.3");
        assertThat(ExtensionUpdatePath.find(edges, "1.0", "1.3")).contains(List.of("1.2", "1.3"));
        assertThat(ExtensionUpdatePath.find(edges, "1.3", "1.0")).isEqualTo(Optional.empty());
        assertThat(ExtensionUpdatePath.find(edges, "1.3", "1.3")).contains(List.of());
    }
}
