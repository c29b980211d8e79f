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
