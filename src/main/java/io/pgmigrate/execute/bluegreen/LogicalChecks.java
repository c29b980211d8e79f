package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.StepFailure;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Action.Endpoint;
import io.pgmigrate.plan.Step;
import io.pgmigrate.replication.FreezeProof;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.util.List;
import java.util.Optional;

/**
 * The logical plan's checks: wal_level, the freeze proven on blue or green, the fence.
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
            case WAL_LEVEL_LOGICAL -> Optional.of(walLevel(step, k.endpoint()));
            case WRITES_FROZEN -> Optional.of(frozen(step, k.endpoint()));
            case LOGINS_FENCED -> Optional.of(fenced(step, k.endpoint()));
            case CLIENTS_SWITCHED -> throw new StepFailure(step.id() + ": " + k.expected());
            default -> Optional.empty();
        };
    }

    private String walLevel(Step step, Endpoint endpoint) {
        try (SqlSession s = session(endpoint, step)) {
            String level = s.query("SHOW wal_level").get(0).get("wal_level");
            if (!"logical".equals(level)) {
                throw new StepFailure(step.id() + ": " + (endpoint == Endpoint.SOURCE ? "blue" : "green")
                        + " runs with wal_level = " + level + ", not logical");
            }
            return "wal_level = logical";
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
    }

    private String frozen(Step step, Endpoint endpoint) {
        try (SqlSession s = session(endpoint, step)) {
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
        try (SqlSession s = session(endpoint, step)) {
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

    private SqlSession session(Endpoint endpoint, Step step) {
        return ctx.sql(endpoint, ctx.access(endpoint).maintenanceDatabase(), step.timeout());
    }
}
