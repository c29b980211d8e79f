package io.pgmigrate.bench;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.hosts.HostCluster;
import io.pgmigrate.testing.hosts.PatroniByHand;
import io.pgmigrate.testing.hosts.PatroniCluster;
import io.pgmigrate.testing.hosts.TestHost;
import io.pgmigrate.testing.hosts.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Benchmark (issue #15), run by {@code bench/patroni.sh}, never by the suite (its name is no *IT): a 3-member Patroni
 * 3.0.2 cluster of PostgreSQL 15 (pgbench scale {@code bench.scale}, etcd on a host of its own), taken to 18 with
 * --link and the replicas rsynced, by {@code pgmigrate execute} and by the by-hand procedure of
 * docs/patroni-upgrade-notes.md ({@link PatroniByHand}), each on fresh hosts. Two figures each: the write outage and
 * the time Patroni could not fail over (pause → every member streaming on 18 with no lag). pgmigrate's figures are its
 * journal's (its summary: the outage from its first in-outage step, the checkpoint, to its last); the by-hand ones are
 * timed here (the leader's stop → it leads on 18). Results go to target/bench-patroni.tsv.
 */
class PatroniBench {
    static final int SCALE = Integer.getInteger("bench.scale", 50);
    static final Path RESULTS = Path.of("target/bench-patroni.tsv");
    private static final Pattern SUMMARY = Pattern.compile("write outage ([0-9.]+)(ms|s); highly available again"
            + " after ([0-9.]+)(ms|s)");

    @RegisterExtension
    final TestHosts hosts = TestHosts.named("etcd", "pg1", "pg2", "pg3");

    @TempDir
    Path dir;

    private PatroniCluster cluster() {
        PatroniCluster c = PatroniCluster.start(List.of(hosts.host("pg1"), hosts.host("pg2"), hosts.host("pg3")),
                hosts.host("etcd"), 15);
        TestHost leader = hosts.host("pg1");
        leader.execAsPostgres(io.pgmigrate.testing.Toolchain.binDir(15) + "/pgbench", "-h", "/tmp", "-i", "-s",
                String.valueOf(SCALE), "-q", "postgres");
        c.waitHealthy(Duration.ofMinutes(5));
        return c;
    }

    @Test
    void pgmigrate() {
        try (PatroniCluster c = cluster()) {
            List<HostCluster> standbys = List.of(c.postgres(hosts.host("pg2")), c.postgres(hosts.host("pg3")));
            String rest = c.members().stream().map(h -> "\"" + c.restEndpoint(h) + "\"")
                    .collect(Collectors.joining(", "));
            Path inv = TestInventory.inPlaceOnHosts(dir.resolve("bench.yaml"), "bench", c.postgres(hosts.host("pg1")),
                    standbys, hosts.knownHosts(), "link, verify: { rowCounts: off }",
                    "ha:\n  patroni:\n    config: " + PatroniCluster.CONFIG + "\n    rest: [ " + rest + " ]\n"
                            + PatroniCluster.commandsYaml());
            CliRun plan = CliRun.of("plan", "--no-rehearsal", "-i", inv.toString(), "-o", dir.toString());
            assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
            CliRun run = CliRun.of("execute", "-i", inv.toString(), dir.resolve("bench.plan.json").toString());
            assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
            Matcher m = SUMMARY.matcher(run.out());
            assertThat(m.find()).as(run.out()).isTrue();
            record("pgmigrate --link (Patroni)", seconds(m.group(1), m.group(2)), seconds(m.group(3), m.group(4)));
        }
    }

    @Test
    void byHand() {
        try (PatroniCluster c = cluster()) {
            PatroniByHand.Result r = new PatroniByHand(c, (what, ms) -> System.out.printf("%6d ms  %s%n", ms, what))
                    .linkUpgrade(hosts.host("pg1"), List.of(hosts.host("pg2"), hosts.host("pg3")));
            record("by hand --link (Patroni)", r.outageMillis() / 1000.0, r.haLostMillis() / 1000.0);
        }
    }

    private static double seconds(String value, String unit) {
        double v = Double.parseDouble(value);
        return unit.equals("ms") ? v / 1000 : v;
    }

    private static void record(String label, double outage, double ha) {
        String line = String.format(Locale.ROOT, "%s\tscale %d\twrite outage %.1f s\tuntil HA %.1f s%n", label, SCALE,
                outage, ha);
        try {
            Files.createDirectories(RESULTS.getParent());
            Files.writeString(RESULTS, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.print(line);
    }
}
