package io.pgmigrate.testing;

import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The fixture itself: a cluster of each version starts, serves, runs as postgres, and is gone after close. */
class PgClusterIT {
    @ParameterizedTest
    @ValueSource(ints = {13, 15, 18})
    void startsServesAndCleansUp(int major) {
        assertStartsServesAndCleansUp(major);
    }

    /** 17 is optional in the toolchain (Debian's files for it were not always fetchable): skipped without it. */
    @Test
    void startsPostgres17WhenTheToolchainBuiltIt() {
        assumeTrue(Toolchain.has(17), "scripts/toolchain.sh did not build PostgreSQL 17 (see its log line)");
        assertStartsServesAndCleansUp(17);
    }

    private static void assertStartsServesAndCleansUp(int major) {
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
