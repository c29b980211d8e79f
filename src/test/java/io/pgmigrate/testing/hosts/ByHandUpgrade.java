package io.pgmigrate.testing.hosts;

import io.pgmigrate.testing.Toolchain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The steps of a by-hand {@code pg_upgrade --link} of a {@link PatroniCluster} member from 15 to 18, as a DBA types
 * them (see docs/patroni-upgrade-notes.md), for the tests that walk that procedure and its pitfalls.
 */
final class ByHandUpgrade {
    static final String PG15 = Toolchain.binDir(15).toString();
    static final String PG18 = Toolchain.binDir(18).toString();

    private ByHandUpgrade() {
    }

    static String bin(int major) {
        return major == 15 ? PG15 : major == 18 ? PG18 : Toolchain.binDir(major).toString();
    }

    /** {@code pg_ctl stop -m fast} of the data directory of {@code major}. */
    static void stopPostgres(TestHost h, int major) {
        h.execAsPostgres(bin(major) + "/pg_ctl", "stop", "-D", PatroniCluster.dataDir(major), "-m", "fast", "-w",
                "-t", "120");
    }

    /** One field of {@code pg_controldata}, e.g. "Latest checkpoint location". */
    static String controlData(TestHost h, int major, String field) {
        for (String line : h.execAsPostgres(bin(major) + "/pg_controldata", "-D", PatroniCluster.dataDir(major))
                .split("\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).strip();
            }
        }
        throw new IllegalStateException("no " + field + " in pg_controldata on " + h.name());
    }

    /** initdb 18 with the options Patroni's bootstrap gave 15 (UTF8, C.UTF-8, no checksums). */
    static void initdb18(TestHost leader) {
        leader.exec("install", "-d", "-o", "postgres", "-g", "postgres", "-m", "755", "/var/lib/postgresql/18");
        leader.execAsPostgres(PG18 + "/initdb", "-D", PatroniCluster.dataDir(18), "-U", "postgres",
                "--encoding=UTF8", "--locale=C.UTF-8", "--no-data-checksums");
    }

    /** {@code pg_upgrade --link} 15 → 18, from /var/lib/postgresql (its sockets and logs), plus {@code extra}. */
    static void pgUpgrade(TestHost leader, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "cd /var/lib/postgresql && exec \"$@\"", "sh",
                PG18 + "/pg_upgrade", "--link", "-U", "postgres", "-b", PG15, "-B", PG18, "-d",
                PatroniCluster.dataDir(15), "-D", PatroniCluster.dataDir(18)));
        cmd.addAll(List.of(extra));
        leader.execAsPostgres(cmd.toArray(String[]::new));
    }

    /** pg_hba.conf and pg_ident.conf of 15 into 18 (Patroni wrote them at bootstrap only). */
    static void carryHba(TestHost leader) {
        leader.execAsPostgres("cp", "-p", PatroniCluster.dataDir(15) + "/pg_hba.conf",
                PatroniCluster.dataDir(15) + "/pg_ident.conf", PatroniCluster.dataDir(18) + "/");
    }

    /** The pg_upgrade page's rsync, run on the leader as postgres over SSH to {@code replica}. */
    static void rsync(TestHost leader, TestHost replica) {
        leader.execAsPostgres("rsync", "--archive", "--delete", "--hard-links", "--size-only", "--no-inc-recursive",
                "/var/lib/postgresql/15", "/var/lib/postgresql/18", replica.address() + ":/var/lib/postgresql");
    }

    /** Waits up to {@code seconds} for {@code condition} (errors count as not yet). */
    static void await(int seconds, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not yet: a member restarting, a server starting
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("not within " + seconds + " s: " + what);
    }
}
