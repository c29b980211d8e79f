package io.pgmigrate.check.logical;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExtensionsAndRolesTest {
    @Test
    void extensionsGreenCanCreateAreFineWhateverTheirVersion() {
        Facts f = Facts.healthy();
        f.databases.set(1, Facts.db("shop", 1, 1, Facts.ext("pg_stat_statements", "1.0")));
        assertThat(Logical.run(new ExtensionsOnGreen(), f)).isEmpty();
    }

    @Test
    void missingAndRemovedExtensionsAreBlockers() {
        Facts f = Facts.healthy();
        f.databases.set(1, Facts.db("shop", 1, 1, Facts.ext("postgis", "3.4.2"), Facts.ext("adminpack", "2.1")));
        var found = Logical.run(new ExtensionsOnGreen(), f);
        assertThat(found).extracting(Finding::severity).containsOnly(Severity.BLOCKER);
        assertThat(found).extracting(Finding::title).containsExactly(
                "Extension adminpack no longer exists in PostgreSQL 18",
                "Extension postgis is not installed for PostgreSQL 18 on green's host");
        assertThat(found.get(1).objects()).containsExactly("db shop: postgis 3.4.2 (schema public)");
        assertThat(found.get(1).fix()).contains("postgresql-18-postgis-3");
        assertThat(found.get(0).fix()).contains("DROP EXTENSION \"adminpack\";");
    }

    @Test
    void rolesWithPasswordsAreCountedNeverShown() {
        Facts f = Facts.healthy().probe(RolePasswords.ID, "postgres", "roles", "5", "with_password", "3",
                "scram", "3", "md5", "0");
        Finding x = Logical.one(new RolePasswords(), f);
        assertThat(x.severity()).isEqualTo(Severity.INFO);
        assertThat(x.title()).isEqualTo("Roles and their passwords are carried by pg_dumpall --globals-only");
        assertThat(x.detail()).startsWith("5 role(s), 3 with a password (3 SCRAM-SHA-256, 0 MD5).")
                .contains("never prints one");
        assertThat(RolePasswords.SQL).doesNotContainPattern("SELECT[^;]*\\brolpassword\\s*(,|AS|FROM)");
    }

    @Test
    void md5HashesAreAWarningGoingTo18() {
        Facts f = Facts.healthy().probe(RolePasswords.ID, "postgres", "roles", "5", "with_password", "3",
                "scram", "1", "md5", "2");
        Finding x = Logical.one(new RolePasswords(), f);
        assertThat(x.severity()).isEqualTo(Severity.WARNING);
        assertThat(x.title()).isEqualTo("2 role(s) with an MD5 password hash");
        assertThat(x.fix()).contains("password_encryption = 'scram-sha-256'");
    }
}
