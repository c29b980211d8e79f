package io.pgmigrate.check.logical;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.Toolchain;
import io.pgmigrate.testing.hosts.HostCluster;
import io.pgmigrate.testing.hosts.TestHost;
import io.pgmigrate.testing.hosts.TestHosts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Green on a host of its own is inspected on that host: the free space of target.dataDir's file system, the target
 * installation's extensions and the schema rehearsal are green's, not blue's. Blue (PostgreSQL 15) and green are two
 * test hosts, each with a copy of PostgreSQL 18 at /opt/pg18; they differ only where it matters: green's copy lacks
 * pg_trgm, which blue uses, and green's /srv is a 200 MiB disk of its own. Read on blue's host (as pgmigrate did
 * before), both facts look fine and the plan is ready. Without the password in its passfile, green's host cannot log
 * in to blue: the rehearsal, run there, finds it, and the plan names it.
 */
class GreenHostFactsIT {
    private static final String GREEN_BIN = "/opt/pg18/bin";
    private static final String TRGM = "/opt/pg18/share/postgresql/extension/pg_trgm.control";

    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.named("blue", "green").withTmpfs("green", "/srv", 200);

    private static HostCluster blue;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        for (String host : new String[] {"blue", "green"}) {
            HOSTS.host(host).exec("cp", "-a", Toolchain.binDir(18).getParent().toString(), "/opt/pg18");
        }
        blue = HostCluster.create(HOSTS.host("blue"), 15, "/var/lib/postgresql/15/main", 5432);
        blue.appendConfig(java.util.List.of("log_connections = on", "log_line_prefix = 'from=%h '"));
        blue.startServer();
        HostCluster.givePassfile(HOSTS.host("green"));
        blue.sql("postgres", "CREATE DATABASE shop");
        blue.sql("shop", "CREATE EXTENSION pg_trgm",
                "CREATE TABLE items (id int PRIMARY KEY, name text)",
                "CREATE INDEX items_name_trgm ON items USING gin (name gin_trgm_ops)");
    }

    @AfterAll
    static void stop() {
        if (blue != null) {
            blue.stopServer();
        }
    }

    @Test
    void greensDiskIsReadOnGreensHost() throws Exception {
        Plan plan = plan("small-disk", "/srv/18/main", 3, false);
        Finding disk = plan.findings().stream().filter(f -> f.check().equals("disk-space")).findFirst().orElseThrow();
        assertThat(disk.severity()).as(disk.toString()).isEqualTo(Severity.BLOCKER);
        assertThat(disk.title() + disk.detail()).contains("green's full copy", "/srv", "tmpfs");
    }

    @Test
    void greensExtensionsAreReadOnGreensHostAndTheRehearsalRunsThere() throws Exception {
        plan("ready", "/var/lib/postgresql/18/main", 0, true);
        assertThat(HOSTS.host("blue").exec("cat", "/var/lib/postgresql/pg-5432.log"))
                .as("the rehearsal's pg_dump connected to blue from green's host")
                .containsPattern("from=" + java.util.regex.Pattern.quote(HOSTS.host("green").address())
                        + " .*application_name=pgmigrate-rehearsal");

        // green's installation loses pg_trgm after the plan: execute's fresh look at green's host refuses it
        HOSTS.host("green").exec("mv", TRGM, TRGM + ".away");
        try {
            refusedOnGreen();
        } finally {
            HOSTS.host("green").exec("mv", TRGM + ".away", TRGM);
        }
    }

    private void refusedOnGreen() throws Exception {
        Path inv = inventory("ready", "/var/lib/postgresql/18/main");
        CliRun dry = CliRun.of("execute", "--dry-run", "-i", inv.toString(), dir.resolve("ready.plan.json").toString());
        assertThat(dry.exitCode()).as(dry.out() + dry.err()).isEqualTo(3);
        assertThat(dry.out() + dry.err()).contains("pg_trgm is not installed for PostgreSQL 18 on green's host");

        Plan missing = plan("missing", "/var/lib/postgresql/18/main", 3, true);
        assertThat(missing.blockers()).extracting(Finding::check)
                .contains(ExtensionsOnGreen.ID, io.pgmigrate.check.cluster.SchemaRehearsalCheck.ID);
        assertThat(missing.blockers().stream().filter(f -> f.check().equals(ExtensionsOnGreen.ID)).findFirst()
                .orElseThrow().detail()).contains("/opt/pg18/share/postgresql/extension");
        assertThat(HOSTS.host("blue").exec("sh", "-c", "ls -d /tmp/pgmigrate-rehearsal.* 2>/dev/null || true"))
                .as("the rehearsal left nothing on blue's host").isBlank();
    }

    /** A work directory on green's host that another user made is refused before any step, on green's host. */
    @Test
    void aPlantedWorkDirectoryOnGreensHostIsRefusedBeforeAnyStep() throws Exception {
        plan("planted", "/var/lib/postgresql/18/planted/main", 0, false);
        TestHost green = HOSTS.host("green");
        String work = "/var/lib/postgresql/18/planted/pgmigrate-planted";
        green.exec("install", "-d", "-o", "nobody", "-g", "nogroup", "-m", "0700", work);
        try {
            CliRun run = CliRun.of("execute", "-i", dir.resolve("planted.yaml").toString(),
                    dir.resolve("planted.plan.json").toString());
            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
            assertThat(run.err()).contains("green's work directory", work);
            assertThat(run.out()).doesNotContain("run    ");
            assertThat(blue.strings("shop", "SELECT pubname FROM pg_publication")).as("nothing made on blue").isEmpty();
            assertThat(green.exec("ls", "-A", work).strip()).as("nothing made in it").isEmpty();
            assertThat(green.exec("ls", "-A", "/var/lib/postgresql/18/planted").strip()).as("nor beside it, on green")
                    .isEqualTo("pgmigrate-planted");
        } finally {
            green.exec("rm", "-rf", "--", "/var/lib/postgresql/18/planted");
        }
    }

    @Test
    void aGreenHostThatCannotLogInToBlueIsABlocker() throws Exception {
        HOSTS.host("green").exec("mv", "/var/lib/postgresql/.pgpass", "/var/lib/postgresql/pgpass.away");
        try {
            Plan plan = plan("no-passfile", "/var/lib/postgresql/18/main", 3, true);
            Finding f = plan.blockers().stream().filter(b -> b.check().equals(BlueReachable.ID)).findFirst()
                    .orElseThrow(() -> new AssertionError(plan.findings()));
            assertThat(f.title()).isEqualTo("Green's host cannot connect to blue");
            assertThat(f.objects()).singleElement().asString().startsWith("from " + HOSTS.host("green").address()
                    + " to " + HOSTS.host("blue").address() + ":5432 as postgres: ").contains("password");
        } finally {
            HOSTS.host("green").exec("mv", "/var/lib/postgresql/pgpass.away", "/var/lib/postgresql/.pgpass");
        }
    }

    private Plan plan(String name, String greenData, int exit, boolean rehearse) throws Exception {
        Path inv = inventory(name, greenData);
        CliRun run = rehearse ? CliRun.of("plan", "-i", inv.toString(), "-o", dir.toString())
                : CliRun.of("plan", "--no-rehearsal", "-i", inv.toString(), "-o", dir.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(exit);
        return PlanJson.readVerified(dir.resolve(name + ".plan.json"));
    }

    private Path inventory(String name, String greenData) {
        return TestInventory.logicalOnHosts(dir.resolve(name + ".yaml"), name, blue, HOSTS.host("green"),
                HOSTS.knownHosts(), GREEN_BIN, greenData, "cutover:\n  switchCommand: [/bin/true]\n");
    }
}
