package io.pgmigrate.cli;

import io.pgmigrate.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code pgmigrate verify}: PLAN or --live, never both or neither; one line and exit 2 otherwise. */
class VerifyCommandTest {
    private static final String IN_PLACE = """
            name: orders-prod
            source:
              host: local
              dataDir: /var/lib/postgresql/15/main
              binDir: /usr/lib/postgresql/15/bin
            target:
              version: 18
              binDir: /usr/lib/postgresql/18/bin
              dataDir: /var/lib/postgresql/18/main
            """;

    @TempDir
    Path dir;

    private static void oneLineExitTwo(CliRun run, String... expected) {
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).hasLineCount(1).startsWith("pgmigrate: ").contains(expected)
                .doesNotContain("Exception");
    }

    @Test
    void neitherAPlanNorLiveIsRefused() {
        oneLineExitTwo(CliRun.of("verify"), "verify needs the executed PLAN (NAME.plan.json), or --live");
    }

    @Test
    void anOutputDirectoryIsForLiveOnly() {
        oneLineExitTwo(CliRun.of("verify", "-o", "x", "p.plan.json"), "-o is for verify --live");
    }

    @Test
    void liveWithAPlanIsRefused() {
        oneLineExitTwo(CliRun.of("verify", "--live", "p.plan.json"), "takes no PLAN (p.plan.json)");
    }

    @Test
    void liveOnAnInPlaceInventorySaysThereIsNoLiveTargetBeforeConnectingAnywhere() throws Exception {
        Path inv = Files.writeString(dir.resolve("pgmigrate.yaml"), IN_PLACE);
        oneLineExitTwo(CliRun.of("verify", "--live", "-i", inv.toString(), "-o", dir.resolve("out").toString()),
                inv + ": strategy pg-upgrade upgrades the cluster in place",
                "compare with the baseline execute took: pgmigrate verify -i " + inv + " PLAN");
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
