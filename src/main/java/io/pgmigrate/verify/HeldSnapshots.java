package io.pgmigrate.verify;

import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One exported snapshot per database of a cluster, each held open by a read-only repeatable-read
 * transaction, so that the data can be measured later, by any number of sessions, exactly as it stood
 * at the moment of the export, while clients already write ({@code pg_export_snapshot()}, {@code SET
 * TRANSACTION SNAPSHOT}). Holding them keeps VACUUM from removing rows that died after the export:
 * release them ({@link #close}) as soon as the measurement is done.
 */
public final class HeldSnapshots implements AutoCloseable {
    private final Map<String, SqlSession> holders;
    private final Map<String, String> snapshots;

    private HeldSnapshots(Map<String, SqlSession> holders, Map<String, String> snapshots) {
        this.holders = holders;
        this.snapshots = snapshots;
    }

    /** Exports and holds a snapshot in each database; on a failure the ones already held are released. */
    public static HeldSnapshots export(List<String> databases, Function<String, SqlSession> connect) {
        Map<String, SqlSession> holders = new LinkedHashMap<>();
        Map<String, String> snapshots = new LinkedHashMap<>();
        try {
            for (String db : databases) {
                SqlSession s = connect.apply(db);
                holders.put(db, s);
                // held for as long as the measurement takes, whatever the cluster's timeouts say
                s.execute("SET idle_in_transaction_session_timeout = 0");
                s.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
                snapshots.put(db, s.query("SELECT pg_catalog.pg_export_snapshot() AS id").get(0).get("id"));
            }
        } catch (RuntimeException e) {
            holders.values().forEach(SqlSession::close);
            throw e;
        }
        return new HeldSnapshots(holders, snapshots);
    }

    public List<String> databases() {
        return List.copyOf(snapshots.keySet());
    }

    /**
     * Opens sessions that see the held snapshot of their database: a read-only repeatable-read
     * transaction that imported it. A database without a held snapshot is refused.
     */
    public Function<String, SqlSession> importing(Function<String, SqlSession> connect) {
        return db -> {
            String id = snapshots.get(db);
            if (id == null) {
                throw new TransportException("no snapshot is held in database " + SqlIdentifiers.quote(db)
                        + " (held: " + String.join(", ", snapshots.keySet()) + ")");
            }
            SqlSession s = connect.apply(db);
            try {
                s.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
                s.execute("SET TRANSACTION SNAPSHOT " + SqlIdentifiers.literal(id));
                return s;
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
        };
    }

    /** Ends the holding transactions; the snapshots cannot be imported any more. */
    @Override
    public void close() {
        holders.values().forEach(SqlSession::close);
    }
}
