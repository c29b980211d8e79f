package io.pgmigrate.replication;

import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Proof that writes on a cluster are frozen: no client session holds a transaction id
 * ({@code pg_stat_activity.backend_xid}; pgmigrate's own sessions, known by their backend pids — never by an
 * application name, which any client can set — left out) and no transaction is prepared. A transaction that has not written holds no id and can commit
 * nothing, so once this holds, the WAL position taken next covers every committed write. The offenders
 * are named by pid, user, database and state; their queries are never read.
 */
public record FreezeProof(List<XidHolder> xidHolders, List<PreparedTransaction> prepared) {
    /**
     * Checks the whole cluster (any database of it will do); the checking session and {@code ownPids} (pgmigrate's
     * other sessions) are left out.
     */
    public static FreezeProof check(SqlSession s, Collection<Long> ownPids) {
        String own = ownPids.isEmpty() ? "" : " AND a.pid NOT IN (" + ownPids.stream().map(String::valueOf)
                .collect(Collectors.joining(", ")) + ")";
        List<XidHolder> holders = new ArrayList<>();
        for (SqlRow r : s.query("SELECT a.pid, a.usename, a.datname, a.application_name, a.state,"
                + " a.xact_start::text AS xact_start FROM pg_catalog.pg_stat_activity a"
                + " WHERE a.backend_xid IS NOT NULL AND a.backend_type = 'client backend'"
                + " AND a.pid <> pg_catalog.pg_backend_pid()" + own + " ORDER BY a.pid")) {
            holders.add(new XidHolder(r.getLong("pid"), r.get("usename"), r.get("datname"), r.get("application_name"),
                    r.get("state"), r.get("xact_start")));
        }
        List<PreparedTransaction> prepared = s.query("SELECT gid, owner, database, prepared::text AS prepared"
                        + " FROM pg_catalog.pg_prepared_xacts ORDER BY prepared, gid").stream()
                .map(r -> new PreparedTransaction(r.get("gid"), r.get("owner"), r.get("database"), r.get("prepared")))
                .toList();
        return new FreezeProof(List.copyOf(holders), prepared);
    }

    public boolean frozen() {
        return xidHolders.isEmpty() && prepared.isEmpty();
    }

    /** "writes are frozen", or every offender on one line. */
    public String describe() {
        if (frozen()) {
            return "writes are frozen: no session holds a transaction id, no transaction is prepared";
        }
        List<String> parts = new ArrayList<>();
        xidHolders.forEach(h -> parts.add(h.describe()));
        prepared.forEach(p -> parts.add(p.describe()));
        return "writes are not frozen: " + String.join("; ", parts);
    }
}
