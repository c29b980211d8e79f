package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.check.catalog.Names;
import io.pgmigrate.facts.ProbeRow;

import java.time.Duration;
import java.util.List;

/**
 * Transactions open for longer than {@link #THRESHOLD}. Creating a logical replication slot waits until every
 * transaction that holds a transaction id at that moment has ended (the slot needs a consistent starting point):
 * CREATE SUBSCRIPTION hangs behind a transaction left open for hours. Never reads the sessions' query texts.
 */
final class LongRunningTransactions implements PreCheck {
    static final String ID = "logical-long-transactions";
    static final Duration THRESHOLD = Duration.ofMinutes(5);

    static final String SQL = """
            SELECT a.pid::text AS pid, a.datname::text AS database_name, a.usename::text AS user_name,
                   a.application_name, a.state, (a.backend_xid IS NOT NULL)::text AS has_xid,
                   extract(epoch FROM pg_catalog.now() - a.xact_start)::bigint::text AS seconds
            FROM pg_catalog.pg_stat_activity a
            WHERE a.xact_start < pg_catalog.now() - interval '%d seconds' AND a.pid <> pg_catalog.pg_backend_pid()
            ORDER BY a.xact_start, a.pid""".formatted(THRESHOLD.toSeconds());

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        return List.of(new Probe(ID, Probe.Scope.CLUSTER, SQL));
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        List<ProbeRow> rows = in.probe(ID);
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> objects = rows.stream().map(LongRunningTransactions::describe).toList();
        return List.of(Finding.warning(ID, rows.size() + " transaction(s) open for more than "
                        + THRESHOLD.toMinutes() + " minutes on blue",
                "Creating each subscription's replication slot waits until every transaction that has written"
                        + " something (holds a transaction id) at that moment has ended; CREATE SUBSCRIPTION hangs"
                        + " behind a transaction that stays open. Old snapshots also hold back vacuum while the"
                        + " initial copy runs.",
                objects, "find out what keeps them open and end them before the plan runs (commit or roll back in"
                        + " the application; as a last resort SELECT pg_terminate_backend(pid)); run plan again"
                        + " close to the window to see the sessions then"));
    }

    private static String describe(ProbeRow r) {
        long seconds = Long.parseLong(r.get("seconds"));
        String app = r.get("application_name");
        return "pid " + r.get("pid") + " in db " + Names.ident(nz(r.get("database_name"))) + " (user "
                + nz(r.get("user_name")) + (app == null || app.isEmpty() ? "" : ", application " + app)
                + ", " + nz(r.get("state")) + ", open " + age(seconds)
                + ("true".equals(r.get("has_xid")) ? ", has written: blocks slot creation" : ", read-only so far")
                + ")";
    }

    private static String nz(String s) {
        return s == null ? "?" : s;
    }

    static String age(long seconds) {
        return seconds >= 3600 ? seconds / 3600 + " h " + (seconds % 3600) / 60 + " min" : seconds / 60 + " min";
    }
}
