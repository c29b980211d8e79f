package io.pgmigrate.execute;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PatroniConfigEditTest {
    private static final String YAML = """
            scope: pgm
            name: pg1
            # the DBA's comment
            restapi:
              listen: 10.0.0.1:8008
            postgresql:
              listen: 10.0.0.1:5432
              data_dir: /var/lib/postgresql/15/main   # where it lives
              bin_dir: '/usr/lib/postgresql/15/bin'
              authentication:
                replication:
                  username: replicator
                  password: s3cret
              parameters:
                data_dir_note: keep
            tags:
              nofailover: false
            """;

    @Test
    void onlyDataDirAndBinDirOfThePostgresqlSectionChangeEverythingElseStaysAsWritten() {
        String edited = PatroniConfigEdit.edit(YAML, "/var/lib/postgresql/18/main", "/usr/lib/postgresql/18/bin");
        assertThat(edited).isEqualTo(YAML
                .replace("  data_dir: /var/lib/postgresql/15/main   # where it lives", "  data_dir: /var/lib/postgresql/18/main")
                .replace("  bin_dir: '/usr/lib/postgresql/15/bin'", "  bin_dir: /usr/lib/postgresql/18/bin"));
        assertThat(PatroniConfigEdit.dataDir(edited)).isEqualTo("/var/lib/postgresql/18/main");
        assertThat(PatroniConfigEdit.binDir(edited)).isEqualTo("/usr/lib/postgresql/18/bin");
        assertThat(PatroniConfigEdit.edit(edited, "/var/lib/postgresql/18/main", "/usr/lib/postgresql/18/bin"))
                .as("run again, nothing changes").isEqualTo(edited);
    }

    @Test
    void settingsTheNewVersionLacksAreRemovedOrRenamedUnderPostgresqlParametersOnly() {
        String yaml = """
                bootstrap:
                  dcs:
                    postgresql:
                      parameters:
                        vacuum_defer_cleanup_age: 0
                postgresql:
                  data_dir: /var/lib/postgresql/15/main
                  parameters:
                    max_connections: 100
                    vacuum_defer_cleanup_age: 10   # old habit
                    force_parallel_mode: 'off'
                    archive_command: >-
                      pgbackrest --stanza=main
                      archive-push %p
                    promote_trigger_file: /tmp/promote
                  pg_hba:
                    - host all all 0.0.0.0/0 md5
                """;
        java.util.List<String> changed = new java.util.ArrayList<>();
        String edited = PatroniConfigEdit.edit(yaml, "/var/lib/postgresql/18/main", "/usr/lib/postgresql/18/bin",
                java.util.Map.of("force_parallel_mode", "debug_parallel_query"),
                java.util.Set.of("vacuum_defer_cleanup_age", "promote_trigger_file", "archive_command"), changed);
        assertThat(edited).isEqualTo("""
                bootstrap:
                  dcs:
                    postgresql:
                      parameters:
                        vacuum_defer_cleanup_age: 0
                postgresql:
                  data_dir: /var/lib/postgresql/18/main
                  bin_dir: /usr/lib/postgresql/18/bin
                  parameters:
                    max_connections: 100
                    debug_parallel_query: 'off'
                  pg_hba:
                    - host all all 0.0.0.0/0 md5
                """);
        assertThat(changed).containsExactly("removed vacuum_defer_cleanup_age", "renamed force_parallel_mode to"
                + " debug_parallel_query", "removed archive_command", "removed promote_trigger_file");
    }

    @Test
    void readsQuotedValuesAndAddsBinDirWhenTheFileHasNone() {
        String yaml = "postgresql:\n    data_dir: \"/data/15\"\n    listen: 0.0.0.0:5432\n";
        assertThat(PatroniConfigEdit.dataDir(yaml)).isEqualTo("/data/15");
        assertThat(PatroniConfigEdit.binDir(yaml)).isNull();
        assertThat(PatroniConfigEdit.edit(yaml, "/data/my 18", "/opt/pg18/bin")).isEqualTo(
                "postgresql:\n    data_dir: '/data/my 18'\n    bin_dir: /opt/pg18/bin\n    listen: 0.0.0.0:5432\n");
    }

    @Test
    void aFileWithoutABlockPostgresqlSectionOrDataDirIsRefusedInOneLine() {
        assertThatThrownBy(() -> PatroniConfigEdit.edit("scope: x\npostgresql: {data_dir: /d}\n", "/n", "/b"))
                .hasMessage("it has no top-level postgresql: section in block style");
        assertThatThrownBy(() -> PatroniConfigEdit.edit("postgresql:\n  listen: x\nrestapi:\n  data_dir: /d\n", "/n",
                "/b")).hasMessage("its postgresql: section has no data_dir");
        assertThat(PatroniConfigEdit.dataDir("scope: x\n")).isNull();
    }
}
