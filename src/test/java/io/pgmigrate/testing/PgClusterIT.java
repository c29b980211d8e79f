package io.pgmigrate.testing;

import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** The fixture itself: a cluster of each version starts, serves, runs as postgres, and is gone after close. */
class PgClusterIT {
    @ParameterizedTest
    @ValueSource(ints = {15, 18})
    void startsServesAndCleansUp(int major) {
        PgCluster c = PgCluster.start(major);
        try (SqlSession s = c.connect("postgres")) {
            assertThat(s.query("show server_version_num").get(0).getLong("server_version_num") / 10000)
                    .isEqualTo(major);
            assertThat(s.query("show data_checksums").get(0).get("data_checksums")).isEqualTo("off");
            String owner = s.query("select pg_catalog.current_setting('data_directory') as d").get(0).get("d");
            assertThat(owner).isEqualTo(c.dataDir().toString());
        } finally {
            c.close();
        }
        assertThat(Files.exists(c.root())).isFalse();
    }
}
