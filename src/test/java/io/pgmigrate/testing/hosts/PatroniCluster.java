package io.pgmigrate.testing.hosts;

import io.pgmigrate.testing.Toolchain;
import io.pgmigrate.transport.PatroniMember;
import io.pgmigrate.transport.PatroniNode;
import io.pgmigrate.transport.PatroniRest;
import io.pgmigrate.transport.PatroniTopology;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A Patroni cluster on {@link TestHost}s, as production runs one: a one-node etcd (3.4, v3 API) on a host of the
 * test's choosing and one Patroni 3.0.2 member per host, run by the postgres OS user from
 * {@code /etc/patroni/patroni.yml} (0600, owned by postgres), its REST API on the host's address port 8008, its
 * PostgreSQL on 5432 with the data directory {@code /var/lib/postgresql/<major>/main}. The first host bootstraps
 * (initdb UTF8, C.UTF-8, no checksums); the others are cloned by Patroni (pg_basebackup) and stream over physical slots.
 * Authentication as {@link HostCluster} has it: superuser {@code postgres} and replication user {@code replicator}
 * with {@link HostCluster#PASSWORD}, scram-sha-256 from the hosts' network, the controller's address trusted. pg_hba
 * is Patroni's {@code bootstrap.pg_hba}, written once into the bootstrapped data directory, as many sites have it.
 * The postgres users of the hosts log in to each other over SSH (their own ed25519 keys, every host's real host key
 * in known_hosts under its name and address), for the rsync of an upgrade. No systemd: daemons run in the
 * background with their pid in a file, {@code /var/lib/postgresql/patroni.pid} and {@code /run/pgm-etcd.pid};
 * Patroni logs to {@code /var/lib/postgresql/patroni.log}, etcd to {@code /var/log/pgm-etcd.log}.
 */
public final class PatroniCluster implements AutoCloseable {
    public static final String SCOPE = "pgm";
    public static final String CONFIG = "/etc/patroni/patroni.yml";
    public static final int REST_PORT = 8008;
    public static final int PG_PORT = 5432;
    public static final String REPLICATION_USER = "replicator";
    static final String PATRONI_PID = "/var/lib/postgresql/patroni.pid";
    static final String PATRONI_LOG = "/var/lib/postgresql/patroni.log";
    private static final String ETCD_PID = "/run/pgm-etcd.pid";

    private final List<TestHost> members;
    private final TestHost etcdHost;
    private final String scope;
    /** Started etcd (and stops it at close), or uses another cluster's. */
    private final boolean ownsEtcd;
    private int major;

    private PatroniCluster(List<TestHost> members, TestHost etcdHost, int major, String scope, boolean ownsEtcd) {
        this.members = List.copyOf(members);
        this.etcdHost = etcdHost;
        this.major = major;
        this.scope = scope;
        this.ownsEtcd = ownsEtcd;
    }

    /**
     * etcd on {@code etcdHost} (which may be one of {@code hosts}), Patroni on every host, the first bootstrapping
     * PostgreSQL {@code major}; returns once the cluster is healthy (one leader, every other member streaming, lag 0).
     */
    public static PatroniCluster start(List<TestHost> hosts, TestHost etcdHost, int major) {
        return start(new PatroniCluster(hosts, etcdHost, major, SCOPE, true));
    }

    /**
     * Another Patroni cluster, of scope {@code scope}, on {@code hosts} with the etcd of {@code running} (as sites run
     * several clusters on one DCS); its close leaves that etcd running.
     */
    public static PatroniCluster beside(PatroniCluster running, List<TestHost> hosts, String scope, int major) {
        return start(new PatroniCluster(hosts, running.etcdHost, major, scope, false));
    }

    public String scope() {
        return scope;
    }

    private static PatroniCluster start(PatroniCluster c) {
        List<TestHost> hosts = c.members;
        int major = c.major;
        try {
            if (c.ownsEtcd) {
                c.startEtcd();
            }
            PatroniSsh.connect(hosts);
            for (TestHost h : hosts) {
                h.exec("install", "-d", "-o", "postgres", "-g", "postgres", "-m", "755", "/etc/patroni",
                        "/var/lib/postgresql/" + major);
                HostCluster.givePassfile(h);
                c.writeConfig(h, major);
            }
            c.startPatroni(hosts.get(0));
            c.await(Duration.ofSeconds(90), "the first member leads", () -> {
                PatroniNode n = c.rest(hosts.get(0)).node();
                return n.role() == io.pgmigrate.transport.PatroniRole.LEADER && "running".equals(n.state());
            });
            hosts.stream().skip(1).forEach(c::startPatroni);
            c.waitHealthy(Duration.ofMinutes(2));
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    public List<TestHost> members() {
        return members;
    }

    /** The PostgreSQL major version patroni.yml names (after {@link #writeConfig} for another, that one). */
    public int major() {
        return major;
    }

    public static String dataDir(int major) {
        return "/var/lib/postgresql/" + major + "/main";
    }

    /** etcd's client URL, as patroni.yml names it. */
    public String etcdUrl() {
        return "http://" + etcdHost.address() + ":2379";
    }

    public String restEndpoint(TestHost member) {
        return member.address() + ":" + REST_PORT;
    }

    public PatroniRest rest(TestHost member) {
        return new PatroniRest(restEndpoint(member), Duration.ofSeconds(3), Duration.ofSeconds(60));
    }

    /** The member Patroni calls {@code name} (the host's name). */
    public TestHost host(String name) {
        return members.stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no member " + name));
    }

    /** The cluster as the first member that answers sees it. */
    public PatroniTopology topology() {
        TransportException last = null;
        for (TestHost h : members) {
            try {
                return rest(h).cluster();
            } catch (TransportException e) {
                last = e;
            }
        }
        throw last;
    }

    /** The host of the member that holds the leader lock. */
    public TestHost leader() {
        return host(topology().leader().orElseThrow(() -> new IllegalStateException("no leader: " + topology()))
                .name());
    }

    /** PostgreSQL of {@code member}, for SQL from the controller (trusted). */
    public HostCluster postgres(TestHost member) {
        return HostCluster.at(member, major, dataDir(major), PG_PORT);
    }

    /**
     * Waits until every member is in the cluster, one leads, every other runs on the leader's timeline with lag 0 and
     * the leader has a streaming WAL sender for it. Returns the cluster as it was then.
     */
    public PatroniTopology waitHealthy(Duration timeout) {
        PatroniTopology[] seen = new PatroniTopology[1];
        await(timeout, "the cluster is healthy", () -> {
            PatroniTopology t = topology();
            seen[0] = t;
            if (t.members().size() != members.size() || t.leader().isEmpty()) {
                return false;
            }
            PatroniMember leader = t.leader().get();
            boolean replicasOk = t.replicas().stream().allMatch(m -> m.isRunning() && Long.valueOf(0).equals(
                    m.lagBytes()) && leader.timeline() != null && leader.timeline().equals(m.timeline()));
            if (!leader.isRunning() || !replicasOk) {
                return false;
            }
            long streaming = rest(host(leader.name())).node().senders().stream()
                    .filter(s -> "streaming".equals(s.state())).count();
            return streaming == members.size() - 1;
        }, () -> String.valueOf(seen[0]));
        return seen[0];
    }

    /** {@code patronictl -c /etc/patroni/patroni.yml args…} on {@code member} as postgres; its stdout. */
    public String patronictl(TestHost member, String... args) {
        List<String> cmd = new ArrayList<>(List.of("patronictl", "-c", CONFIG));
        cmd.addAll(List.of(args));
        return member.execAsPostgres(cmd.toArray(String[]::new));
    }

    /** {@code etcdctl --endpoints <etcd> args…} (v3 API) on the etcd host; its stdout. */
    public String etcdctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "ETCDCTL_API=3", "etcdctl", "--endpoints", etcdUrl()));
        cmd.addAll(List.of(args));
        return etcdHost.exec(cmd.toArray(String[]::new));
    }

    /**
     * The inventory's {@code ha.patroni.commands} that stop and start Patroni on a member the way this fixture does
     * (both may run again: stopping a stopped Patroni and starting a running one do nothing), indented for
     * {@code ha.patroni}.
     */
    public static String commandsYaml() {
        String stop = "test -f " + PATRONI_PID + " || exit 0; p=$(cat " + PATRONI_PID + "); kill $p 2>/dev/null; i=0;"
                + " while kill -0 $p 2>/dev/null; do i=$((i+1)); [ $i -gt 600 ] && echo patroni did not exit >&2"
                + " && exit 1; sleep 0.1; done; rm -f " + PATRONI_PID;
        String start = "test -f " + PATRONI_PID + " && kill -0 $(cat " + PATRONI_PID + ") 2>/dev/null && exit 0;"
                + " cd /var/lib/postgresql && setsid nohup patroni " + CONFIG + " >> " + PATRONI_LOG
                + " 2>&1 < /dev/null & echo $! > " + PATRONI_PID;
        return "    commands:\n      stop: [ sh, -c, '" + stop + "' ]\n      start: [ sh, -c, '" + start + "' ]\n";
    }

    /** Starts Patroni on {@code member} in the background (as a service manager would). */
    public void startPatroni(TestHost member) {
        member.execAsPostgres("sh", "-c", "cd /var/lib/postgresql && setsid nohup patroni " + CONFIG + " >> "
                + PATRONI_LOG + " 2>&1 < /dev/null & echo $! > " + PATRONI_PID);
    }

    /**
     * Stops Patroni on {@code member} (SIGTERM, as systemd would) and waits until it has exited. Unpaused, Patroni
     * stops its PostgreSQL first; paused, it leaves PostgreSQL running.
     */
    public void stopPatroni(TestHost member) {
        member.execAsPostgres("sh", "-c", "test -f " + PATRONI_PID + " || exit 0; p=$(cat " + PATRONI_PID + "); "
                + "kill $p 2>/dev/null; i=0; while kill -0 $p 2>/dev/null; do i=$((i+1)); "
                + "[ $i -gt 600 ] && echo 'patroni did not exit in 60 s' >&2 && exit 1; sleep 0.1; done; rm -f "
                + PATRONI_PID);
    }

    /** Whether the Patroni this fixture started on {@code member} still runs (it exits by itself on a fatal error). */
    public boolean patroniRunning(TestHost member) {
        return member.exec("sh", "-c", "test -f " + PATRONI_PID + " && kill -0 $(cat " + PATRONI_PID + ") 2>/dev/null"
                + " && echo yes || echo no").strip().equals("yes");
    }

    /** How many lines of Patroni's log on {@code member} (PostgreSQL's own lines included) contain {@code text}. */
    public int patroniLogCount(TestHost member, String text) {
        return Integer.parseInt(member.exec("sh", "-c", "grep -cF -- \"$1\" " + PATRONI_LOG + " || true", "sh", text)
                .strip());
    }

    /** The last {@code lines} of Patroni's log on {@code member}. */
    public String patroniLog(TestHost member, int lines) {
        return member.exec("tail", "-n", String.valueOf(lines), PATRONI_LOG);
    }

    /**
     * Writes patroni.yml on {@code member} for PostgreSQL {@code major} (bin_dir, data_dir); Patroni reads it at start.
     * From then on {@link #major()} and {@link #postgres} mean {@code major}.
     */
    public void writeConfig(TestHost member, int major) {
        member.writeFile(CONFIG, PatroniConfig.yaml(scope, member, etcdHost.address(),
                Toolchain.binDir(major).toString(), dataDir(major)), "600");
        this.major = major;
    }

    /** Another tool (pgmigrate) made patroni.yml name {@code major}: {@link #postgres} means that one from now on. */
    public void upgradedTo(int major) {
        this.major = major;
    }

    @Override
    public void close() {
        for (TestHost h : members) {
            try {
                h.exec("sh", "-c", "test -f " + PATRONI_PID + " && kill -9 $(cat " + PATRONI_PID + ") ; true");
            } catch (RuntimeException ignored) {
                // the host may be gone already
            }
        }
        if (!ownsEtcd) {
            return;
        }
        try {
            etcdHost.exec("sh", "-c", "test -f " + ETCD_PID + " && kill $(cat " + ETCD_PID + ") ; true");
        } catch (RuntimeException ignored) {
            // the host may be gone already
        }
    }

    private void startEtcd() {
        String ip = etcdHost.address();
        etcdHost.exec("sh", "-c", "mkdir -p /var/lib/pgm-etcd && setsid nohup etcd --name etcd1"
                + " --data-dir /var/lib/pgm-etcd --listen-client-urls http://0.0.0.0:2379"
                + " --advertise-client-urls http://" + ip + ":2379 --listen-peer-urls http://" + ip + ":2380"
                + " --initial-advertise-peer-urls http://" + ip + ":2380 --initial-cluster etcd1=http://" + ip + ":2380"
                + " > /var/log/pgm-etcd.log 2>&1 < /dev/null & echo $! > " + ETCD_PID);
        await(Duration.ofSeconds(30), "etcd answers", () -> {
            try {
                etcdctl("endpoint", "health");
                return true;
            } catch (IllegalStateException e) {
                return false;
            }
        });
    }

    private void await(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
        await(timeout, what, condition, () -> "");
    }

    private void await(Duration timeout, String what, java.util.function.BooleanSupplier condition,
                       java.util.function.Supplier<String> lastSeen) {
        Instant deadline = Instant.now().plus(timeout);
        RuntimeException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (TransportException | IllegalStateException e) {
                last = e;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting until " + what, e);
            }
        }
        throw new IllegalStateException("not within " + timeout.toSeconds() + " s: " + what + "; last seen "
                + lastSeen.get() + (last == null ? "" : "; last error " + last.getMessage()) + "\n"
                + members.stream().map(h -> h.name() + ":\n" + safeLog(h)).reduce("", String::concat));
    }

    private String safeLog(TestHost h) {
        try {
            return patroniLog(h, 15);
        } catch (RuntimeException e) {
            return "(no log: " + e.getMessage() + ")\n";
        }
    }
}
