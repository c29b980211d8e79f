package io.pgmigrate.inspect;

import io.pgmigrate.pg.PgVersion;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InspectHelpersTest {
    @Test
    void extensionFilesGiveVersionsDefaultsAndUpdates() {
        ExtensionFiles e = ExtensionFiles.parse(List.of("pg_stat_statements.control", "pg_stat_statements--1.4.sql",
                        "pg_stat_statements--1.9--1.10.sql", "pg_stat_statements--1.10--1.11.sql",
                        "pg_stat_statements--1.4--1.5.sql", "uuid-ossp.control", "uuid-ossp--1.1.sql",
                        "orphan--1.0.sql", "ext--1.0.control", "README"),
                List.of("/x/share/extension/pg_stat_statements.control:default_version = '1.11'",
                        "/x/share/extension/uuid-ossp.control:  default_version = '1.1' # comment"));
        assertThat(e.versions()).containsOnlyKeys("pg_stat_statements", "uuid-ossp");
        assertThat(e.versions().get("pg_stat_statements")).containsExactly("1.4", "1.5", "1.9", "1.10", "1.11");
        assertThat(e.defaultVersions()).containsEntry("pg_stat_statements", "1.11").containsEntry("uuid-ossp", "1.1");
        assertThat(e.updates().get("pg_stat_statements")).containsExactly("1.4--1.5", "1.9--1.10", "1.10--1.11");
    }

    @Test
    void configureOptionsSplitOnQuotes() {
        assertThat(TargetBinariesReader.splitConfigure(" '--prefix=/usr' '--with-icu' 'CFLAGS=-g -O2' '--with-lz4'\n"))
                .containsExactly("--prefix=/usr", "--with-icu", "CFLAGS=-g -O2", "--with-lz4");
    }

    @Test
    void dfAvailableColumn() {
        String out = "Filesystem     1-blocks      Used Available Capacity Mounted on\n"
                + "/dev/my disk 105089261568 52544630784 47153311744      53% /var/lib/my data\n";
        assertThat(HostFactsReader.parseDfAvailable(out, "local", "/var")).isEqualTo(47153311744L);
        assertThatThrownBy(() -> HostFactsReader.parseDfAvailable("df: nope", "local", "/x"))
                .hasMessageContaining("cannot read free space of /x on local");
    }

    @Test
    void secretSettingsAreRecognised() {
        for (String s : List.of("primary_conninfo", "ssl_passphrase_command", "archive_command", "restore_command",
                "myapp.api_key", "pgsodium.secret", "vault.token")) {
            assertThat(RecordedSettings.SECRET_SETTING.matcher(s).matches()).as(s).isTrue();
        }
        for (String s : List.of("max_connections", "ssl_key_file", "shared_preload_libraries", "archive_mode")) {
            assertThat(RecordedSettings.SECRET_SETTING.matcher(s).matches()).as(s).isFalse();
        }
    }

    @Test
    void recordedSettingsAreAnAllowlist() {
        assertThat(RecordedSettings.recorded("max_connections", "integer")).isTrue();
        assertThat(RecordedSettings.recorded("wal_level", "enum")).isTrue();
        assertThat(RecordedSettings.recorded("pg_stat_statements.max", "integer")).isTrue();
        assertThat(RecordedSettings.recorded("shared_preload_libraries", "string")).isTrue();
        assertThat(RecordedSettings.recorded("DateStyle", "string")).isTrue();
        assertThat(RecordedSettings.recorded("stats_temp_directory", "string")).as("removed: the check names it").isTrue();
        for (String free : List.of("myapp.tenant", "pgaudit.log", "archive_command", "cron.database_name",
                "krb_server_keyfile", "recovery_target_name")) {
            assertThat(RecordedSettings.recorded(free, "string")).as(free).isFalse();
        }
        assertThat(RecordedSettings.recorded("myapp.api_key", "integer")).as("a secret's name, whatever its type")
                .isFalse();
    }

    @Test
    void versionAwareSql() {
        assertThat(SourceSqlReader.databasesSql(PgVersion.parse("15.4"), true)).contains("daticulocale", "datlocprovider");
        assertThat(SourceSqlReader.databasesSql(PgVersion.parse("17.1"), true)).contains("datlocale");
        assertThat(SourceSqlReader.databasesSql(PgVersion.parse("14.1"), false)).doesNotContain("datlocprovider")
                .as("pg_stat_file is refused to non-superusers even in an unused CASE branch")
                .doesNotContain("pg_stat_file");
        assertThat(SourceSqlReader.databasesSql(PgVersion.parse("15.4"), true)).contains("pg_internal.init");
        assertThat(SourceSqlReader.slotsSql(PgVersion.parse("9.6.24"))).contains("pg_xlog_location_diff");
        assertThat(SourceSqlReader.slotsSql(PgVersion.parse("15.1"))).contains("wal_status", "pg_wal_lsn_diff");
        assertThat(SourceSqlReader.slotsSql(PgVersion.parse("9.3.1"))).isNull();
    }

    @Test
    void majorVersionOrdinals() {
        assertThat(PgVersion.scaled(PgVersion.parse("9.6.2"))).isLessThan(PgVersion.scaled(10));
        assertThat(PgVersion.majorLabel(PgVersion.parse("9.6.2"))).isEqualTo("9.6");
        assertThat(PgVersion.majorLabel(PgVersion.parse("15.2"))).isEqualTo("15");
    }
}
