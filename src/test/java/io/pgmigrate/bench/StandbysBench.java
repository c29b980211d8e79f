package io.pgmigrate.bench;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.Toolchain;
import io.pgmigrate.testing.hosts.HostCluster;
import io.pgmigrate.testing.hosts.HostReplicaSet;
import io.pgmigrate.testing.hosts.TestHost;
import io.pgmigrate.testing.hosts.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Benchmark (issue #15), run by {@code bench/standbys.sh}, never by the suite (its name is no *IT): a PostgreSQL 15
 * primary with pgbench scale 50 and two streaming standbys (db1b synchronous, db1c asynchronous), each on a test host
 * of its own, taken to 18 four ways: pgmigrate with --swap (both standbys re-created with pg_basebackup), pgmigrate
 * with --link (both rsynced), and the same two procedures done by hand with PostgreSQL's documented commands. Two
 * figures each: the write outage (the primary stopped → a write commits on 18) and the time until highly available
 * (the primary stopped → both standbys stream from 18 with no lag). pgmigrate's figures are its own journal's (its
 * summary); the by-hand ones are timed here around the commands. Results go to target/bench-standbys.tsv.
 */
class StandbysBench {
    static final int SCALE = Integer.getInteger("bench.scale", 50);
    static final Path RESULTS = Path.of("target/bench-standbys.tsv");
    private static final Pattern SUMMARY = Pattern.compile("write outage ([0-9.]+)(ms|s); highly available again"
            + " after ([0-9.]+)(ms|s)");
    private static final String NEW = HostReplicaSet.NEW_DATA;
    private static final String OLD = HostReplicaSet.OLD_DATA;

    @RegisterExtension
    final TestHosts hosts = TestHosts.named("db1", "db1b", "db1c");

    @TempDir
    Path dir;

    private HostReplicaSet set(String name, String mode) {
        return HostReplicaSet.start(hosts, List.of("db1", "db1b", "db1c"), dir, name,
                mode + ", verify: { rowCounts: off }", 1000, SCALE, "");
    }

    @Test
    void pgmigrateReCreates() {
        pgmigrate("pgmigrate --swap (re-create)", set("swap", "swap"));
    }

    @Test
    void pgmigrateRsyncs() {
        pgmigrate("pgmigrate --link (rsync)", set("link", "link"));
    }

    private void pgmigrate(String label, HostReplicaSet set) {
        set.planned();
        CliRun run = set.run("execute");
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        Matcher m = SUMMARY.matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        record(label, seconds(m.group(1), m.group(2)), seconds(m.group(3), m.group(4)));
        printSteps(set);
    }

    /** Each step's duration as the journal recorded it, for the write-up. */
    private static void printSteps(HostReplicaSet set) {
        java.util.Map<String, java.time.Instant> started = new java.util.HashMap<>();
        for (io.pgmigrate.journal.JournalEvent e : io.pgmigrate.journal.Journal.read(set.journal())) {
            if (e instanceof io.pgmigrate.journal.JournalEvent.StepStarted) {
                started.put(e.step(), e.at());
            } else if (e instanceof io.pgmigrate.journal.JournalEvent.StepFinished && started.containsKey(e.step())) {
                System.out.printf("STEP %-40s %6d ms%n", e.step(),
                        Duration.between(started.get(e.step()), e.at()).toMillis());
            }
        }
    }

    @Test
    void byHandReCreates() {
        HostReplicaSet set = set("hand-swap", "swap");
        byHand("by hand --swap (re-create)", set, false);
    }

    @Test
    void byHandRsyncs() {
        HostReplicaSet set = set("hand-link", "link");
        byHand("by hand --link (rsync)", set, true);
    }

    /**
     * The documented procedure, as a careful DBA types it: initdb beforehand (as pgmigrate does); then stop the
     * primary, wait until each standby replayed its shutdown checkpoint, stop the standbys and compare pg_controldata,
     * pg_upgrade, pg_hba.conf over; with link mode rsync each standby (standby.signal and primary_conninfo written),
     * start the primary, then the standbys; otherwise start the primary and re-create each standby with
     * pg_basebackup -R. synchronous_standby_names stays as it was: a write commits once the synchronous standby is
     * back.
     */
    private void byHand(String label, HostReplicaSet set, boolean rsync) {
        TestHost db1 = set.primary().host();
        String bin15 = Toolchain.binDir(15).toString();
        String bin18 = Toolchain.binDir(18).toString();
        db1.execAsPostgres(bin18 + "/initdb", "-D", NEW, "-U", "postgres", "--encoding=UTF8", "--locale=C.UTF-8",
                "--no-data-checksums", "--no-sync");
        long t0 = System.nanoTime();
        db1.execAsPostgres(bin15 + "/pg_ctl", "stop", "-D", OLD, "-m", "fast", "-w");
        String checkpoint = control(db1, bin15, OLD);
        for (HostCluster s : set.standbys()) {
            awaitReplayed(s, checkpoint);
            s.host().execAsPostgres(bin15 + "/pg_ctl", "stop", "-D", OLD, "-m", "fast", "-w");
            assertThat(control(s.host(), bin15, OLD)).as(s.host().name()).isEqualTo(checkpoint);
        }
        db1.execAsPostgres("sh", "-c", "cd /var/lib/postgresql/18 && " + bin18 + "/pg_upgrade -b " + bin15 + " -B "
                + bin18 + " -d " + OLD + " -D " + NEW + " -U postgres -j 2 " + (rsync ? "--link" : "--swap"));
        db1.execAsPostgres("cp", OLD + "/pg_hba.conf", NEW + "/pg_hba.conf");
        db1.execAsPostgres("sh", "-c", "printf \"port = 5432\\nlisten_addresses = '*'\\nunix_socket_directories = '/tmp'"
                + "\\nsynchronous_standby_names = 'db1b'\\n\" >> " + NEW + "/postgresql.auto.conf");
        if (rsync) {
            for (HostCluster s : set.standbys()) {
                String h = s.host().name();
                db1.execAsPostgres("rsync", "--archive", "--delete", "--hard-links", "--size-only",
                        "--no-inc-recursive", "--relative", "/var/lib/postgresql/./15/main",
                        "/var/lib/postgresql/./18/main", "postgres@" + s.host().address() + ":/var/lib/postgresql/");
                s.host().execAsPostgres("sh", "-c", "touch " + NEW + "/standby.signal && printf \"primary_conninfo ="
                        + " 'host=" + db1.address() + " port=5432 user=postgres application_name=" + h + "'\\n\" >> "
                        + NEW + "/postgresql.auto.conf");
            }
        }
        db1.execAsPostgres(bin18 + "/pg_ctl", "start", "-D", NEW, "-w", "-l", "/var/lib/postgresql/pg-18.log");
        if (rsync) {
            for (HostCluster s : set.standbys()) {
                s.host().execAsPostgres(bin18 + "/pg_ctl", "start", "-D", NEW, "-w", "-l",
                        "/var/lib/postgresql/pg-18.log");
            }
        } else {
            for (HostCluster s : set.standbys()) {
                String h = s.host().name();
                s.host().execAsPostgres(bin18 + "/pg_basebackup", "-D", NEW, "-d", "host=" + db1.address()
                        + " port=5432 user=postgres application_name=" + h, "-X", "stream", "-c", "fast", "-R");
                s.host().execAsPostgres(bin18 + "/pg_ctl", "start", "-D", NEW, "-w", "-l",
                        "/var/lib/postgresql/pg-18.log");
            }
        }
        // the first write commits once the synchronous standby confirms it
        set.primary().sql("shop", "INSERT INTO orders (total, note) VALUES (1, 'first write on 18')");
        long outage = System.nanoTime() - t0;
        set.awaitNoLag(Duration.ofMinutes(10));
        long ha = System.nanoTime() - t0;
        record(label, outage / 1e9, ha / 1e9);
    }

    private static String control(TestHost host, String bin, String data) {
        String out = host.execAsPostgres("env", "LC_ALL=C", bin + "/pg_controldata", "-D", data);
        return out.lines().filter(l -> l.startsWith("Latest checkpoint location:")).findFirst().orElseThrow()
                .split(":", 2)[1].strip();
    }

    private static void awaitReplayed(HostCluster s, String checkpoint) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (s.longValue("postgres", "SELECT (pg_last_wal_replay_lsn() > '" + checkpoint + "'::pg_lsn)::int") == 0) {
            assertThat(System.nanoTime()).as("standby replayed the shutdown checkpoint").isLessThan(deadline);
        }
    }

    private static double seconds(String n, String unit) {
        double v = Double.parseDouble(n);
        return unit.equals("ms") ? v / 1000 : v;
    }

    private static void record(String label, double outage, double ha) {
        String line = String.format("%s\tscale %d\twrite outage %.1f s\thighly available after %.1f s%n", label, SCALE,
                outage, ha);
        System.out.print("BENCH " + line);
        try {
            Files.writeString(RESULTS, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
