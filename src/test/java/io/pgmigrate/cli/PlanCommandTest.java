package io.pgmigrate.cli;

import io.pgmigrate.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input to {@code pgmigrate plan}: one clear line on stderr, exit 2, no stack trace, nothing written. */
class PlanCommandTest {
    private static final String GOOD = """
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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing key    | '  dataDir: /var/lib/postgresql/15/main\n' | ''                               | source.dataDir: required key is missing",
            "wrong type     | '  version: 18\n'                         | '  version: eighteen\n'          | target.version: expected an integer, got 'eighteen'",
            "unknown key    | '  dataDir: /var/lib/postgresql/15/main\n' | '  datadir: /var/lib/postgresql/15/main\n' | source.datadir: unknown key; did you mean 'dataDir'?",
            "relative path  | '  binDir: /usr/lib/postgresql/15/bin\n'  | '  binDir: bin/15\n'             | source.binDir: must be an absolute path, got 'bin/15'",
    })
    void badInventoryIsOneLineAndExitTwo(String what, String from, String to, String expected) throws Exception {
        Path inv = dir.resolve("pgmigrate.yaml");
        Files.writeString(inv, GOOD.replace(from, to));
        CliRun run = CliRun.of("plan", "-i", inv.toString(), "-o", dir.resolve("plans").toString());
        assertThat(run.exitCode()).as(what).isEqualTo(2);
        assertThat(run.err().lines()).as(what).singleElement().asString()
                .startsWith("pgmigrate: " + inv).contains(expected).doesNotContain("Exception", "\tat ");
        assertThat(dir.resolve("plans")).doesNotExist();
    }

    /** pgjdbc reads ~/.pgpass without looking at its mode: plan and execute refuse a loose one before they connect. */
    @Test
    void aLoosePgpassIsOneLineAndExitTwoBeforeAnyConnection() throws Exception {
        Path inv = dir.resolve("pgmigrate.yaml");
        Files.writeString(inv, GOOD);
        Path examples = Path.of("plans/examples");
        Files.copy(examples.resolve("orders-prod.pgmigrate.yaml"), dir.resolve("orders-prod.pgmigrate.yaml"));
        Files.copy(examples.resolve("orders-prod.plan.json"), dir.resolve("orders-prod.plan.json"));
        Path pgpass = dir.resolve(".pgpass");
        Files.writeString(pgpass, "*:*:*:postgres:secret\n");
        Files.setPosixFilePermissions(pgpass, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        String home = System.getProperty("user.home");
        System.setProperty("user.home", dir.toString());
        try {
            for (CliRun run : java.util.List.of(
                    CliRun.of("plan", "-i", inv.toString(), "-o", dir.resolve("plans").toString()),
                    CliRun.of("execute", "-i", dir.resolve("orders-prod.pgmigrate.yaml").toString(),
                            dir.resolve("orders-prod.plan.json").toString()))) {
                assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
                assertThat(run.err().lines()).singleElement().asString()
                        .contains(pgpass + " has mode 0644", "chmod 0600 " + pgpass).doesNotContain("secret");
            }
        } finally {
            System.setProperty("user.home", home);
        }
        assertThat(dir.resolve("plans")).doesNotExist();
        assertThat(dir.resolve("orders-prod.journal.jsonl")).doesNotExist();
    }

    @Test
    void missingInventoryFile() {
        CliRun run = CliRun.of("plan", "-i", dir.resolve("nope.yaml").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("nope.yaml");
    }

    @Test
    void unknownOptionIsOneLineWithWhereToFindHelp() {
        CliRun run = CliRun.of("plan", "--invntory", "x.yaml");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("--invntory", "pgmigrate plan --help");
    }

    @Test
    void debugShowsTheStackTrace() throws Exception {
        Path inv = dir.resolve("pgmigrate.yaml");
        Files.writeString(inv, GOOD.replace("  version: 18\n", "  version: x\n"));
        CliRun run = CliRun.of("plan", "--debug", "-i", inv.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("PgMigrateException", "\tat ");
    }

    @Test
    void helpListsTheExitCodes() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("plan", "Exit codes:", "pre-check blockers", "stale, changed or unapproved plan");
    }
}
