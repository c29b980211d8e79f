package io.pgmigrate.execute;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Action.Endpoint;
import io.pgmigrate.plan.Step;
import io.pgmigrate.replication.FreezeProof;
import io.pgmigrate.replication.Publications;
import io.pgmigrate.replication.Subscriptions;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.util.List;
import java.util.Optional;

/**
 * The logical plan's checks (blue's wal_level, the freeze proven on blue or green), and "is it there already?"
 * for its CREATE PUBLICATION and CREATE SUBSCRIPTION statements, so that a rerun skips them instead of failing.
 */
final class LogicalChecks {
    /** pgmigrate's own sessions (JDBC ApplicationName), left out of the freeze proof. */
    private static final List<String> OWN = List.of("pgmigrate");

    private final ExecutionContext ctx;

    LogicalChecks(ExecutionContext ctx) {
        this.ctx = ctx;
    }

    /** The note of a check this class knows; empty for one it does not. */
    Optional<String> check(Step step, Action.Check k) {
        return switch (k.check()) {
            case "blue-wal-level" -> Optional.of(walLevel(step));
            case "blue-writes-frozen" -> Optional.of(frozen(step, Endpoint.SOURCE));
            case "green-writes-frozen" -> Optional.of(frozen(step, Endpoint.TARGET));
            case "blue-fenced" -> Optional.of(fenced(step, Endpoint.SOURCE));
            default -> Optional.empty();
        };
    }

    private String walLevel(Step step) {
        try (SqlSession s = session(Endpoint.SOURCE)) {
            String level = s.query("SHOW wal_level").get(0).get("wal_level");
            if (!"logical".equals(level)) {
                throw new StepFailure(step.id() + ": blue runs with wal_level = " + level + ", not logical");
            }
            return "wal_level = logical";
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
    }

    private String frozen(Step step, Endpoint endpoint) {
        try (SqlSession s = session(endpoint)) {
            FreezeProof proof = FreezeProof.check(s, OWN);
            if (!proof.frozen()) {
                throw new StepFailure(step.id() + ": " + proof.describe());
            }
            return proof.describe();
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
    }

    /** No application role can log in (as Logins BLOCK left it) and none of them has a session. */
    private String fenced(Step step, Endpoint endpoint) {
        try (SqlSession s = session(endpoint)) {
            List<String> open = s.query(LoginFence.APPLICATION_ROLES).stream().map(r -> r.get("rolname")).toList();
            if (!open.isEmpty()) {
                throw new StepFailure(step.id() + ": " + open.size() + " application role(s) can log in: "
                        + String.join(", ", open.subList(0, Math.min(5, open.size()))));
            }
            long sessions = s.query("SELECT count(*) AS n FROM pg_catalog.pg_stat_activity a"
                    + " JOIN pg_catalog.pg_roles r ON r.rolname = a.usename WHERE a.backend_type = 'client backend'"
                    + " AND NOT r.rolcanlogin AND NOT r.rolsuper AND NOT r.rolreplication").get(0).getLong("n");
            if (sessions > 0) {
                throw new StepFailure(step.id() + ": " + sessions + " session(s) of fenced roles are still connected");
            }
            return "no application role can log in, none is connected";
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
    }

    /**
     * For {@code CREATE PUBLICATION "name" …} or {@code CREATE SUBSCRIPTION "name" …}: a note when one of that name
     * exists in the database already (the step is done), else empty. Other statements: empty.
     */
    Optional<String> alreadyThere(SqlSession s, Action.RunSql q) {
        String sql = q.sql().stripLeading();
        for (String kind : List.of("PUBLICATION", "SUBSCRIPTION")) {
            String prefix = "CREATE " + kind + " ";
            if (!sql.regionMatches(true, 0, prefix, 0, prefix.length())) {
                continue;
            }
            Optional<String> name = quotedName(sql.substring(prefix.length()));
            boolean exists = name.isPresent() && (kind.equals("PUBLICATION") ? Publications.exists(s, name.get())
                    : Subscriptions.exists(s, name.get()));
            return exists ? Optional.of(kind.toLowerCase() + " " + io.pgmigrate.pg.SqlIdentifiers.quote(name.get())
                    + " already there") : Optional.empty();
        }
        return Optional.empty();
    }

    /** Whether the statement is a CREATE PUBLICATION or CREATE SUBSCRIPTION (a rerun finds it done when it is there). */
    static boolean createsPublicationOrSubscription(Action.RunSql q) {
        String sql = q.sql().stripLeading().toUpperCase(java.util.Locale.ROOT);
        return sql.startsWith("CREATE PUBLICATION ") || sql.startsWith("CREATE SUBSCRIPTION ");
    }

    /** The identifier a statement's text starts with, as the planner writes it: double-quoted, "" for ". */
    static Optional<String> quotedName(String text) {
        if (!text.startsWith("\"")) {
            return Optional.empty();
        }
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    b.append('"');
                    i++;
                } else {
                    return Optional.of(b.toString());
                }
            } else {
                b.append(c);
            }
        }
        return Optional.empty();
    }

    private SqlSession session(Endpoint endpoint) {
        return ctx.sql(endpoint, ctx.access(endpoint).maintenanceDatabase());
    }
}
