package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.StepFailure;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Action.Endpoint;
import io.pgmigrate.plan.Step;
import io.pgmigrate.pg.Lsn;
import io.pgmigrate.replication.FreezeProof;
import io.pgmigrate.replication.Subscriptions;
import io.pgmigrate.replication.Unreplicated;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.util.List;
import java.util.Optional;

/**
 * The logical plan's checks: wal_level, the freeze proven on blue or green (no session but the checking one holds a
 * transaction id or a prepared transaction; after the forward subscription stopped, nothing committed past the frozen
 * point left behind in its slot), the fence.
 */
final class LogicalChecks {
    /** How long a disabled subscription's walsender may take to let go of its slot. */
    private static final java.time.Duration SLOT_RELEASE = java.time.Duration.ofSeconds(30);

    private final ExecutionContext ctx;
    private final ReplicationWaits waits;

    LogicalChecks(ExecutionContext ctx, ReplicationWaits waits) {
        this.ctx = ctx;
        this.waits = waits;
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
            FreezeProof proof = FreezeProof.check(s, List.of());
            if (!proof.frozen()) {
                throw new StepFailure(step.id() + ": " + proof.describe());
            }
            return proof.describe();
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
    }

    /** No role but pgmigrate's own can log in (as Logins BLOCK left it) and no fenced role has a session. */
    private String fenced(Step step, Endpoint endpoint) {
        try (SqlSession s = session(endpoint, step)) {
            List<String> open = s.query(LoginFence.WRITER_ROLES).stream().map(r -> r.get("rolname")).toList();
            if (!open.isEmpty()) {
                throw new StepFailure(step.id() + ": " + open.size() + " role(s) besides pgmigrate's own can log in: "
                        + String.join(", ", open.subList(0, Math.min(5, open.size()))));
            }
            long sessions = s.query("SELECT count(*) AS n FROM pg_catalog.pg_stat_activity a"
                    + " JOIN pg_catalog.pg_roles r ON r.rolname = a.usename WHERE a.backend_type = 'client backend'"
                    + " AND NOT r.rolcanlogin").get(0).getLong("n");
            if (sessions > 0) {
                throw new StepFailure(step.id() + ": " + sessions + " session(s) of fenced roles are still connected");
            }
            return "no role but pgmigrate's own can log in, no fenced role is connected";
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
    }

    /** {@link Action.NothingUnreplicated}: the slot holds nothing its subscriber lacks. */
    String nothingUnreplicated(Step step, Action.NothingUnreplicated n) {
        try (SqlSession s = ctx.sql(n.publisher(), n.database(), step.timeout())) {
            if (n.localOnly()) {
                Unreplicated written = Unreplicated.peekLocal(s, n.slot(), n.publication(), SLOT_RELEASE);
                if (!written.none()) {
                    // rows the side clients work on lacks: a difference, exit 5, as a failed comparison
                    throw new io.pgmigrate.execute.VerifyStep.VerificationFailed(step.id() + ": " + written.changes()
                            + " data change(s) were written on " + side(n.publisher()) + " directly since the frozen"
                            + " point (database " + n.database() + ", the first at " + written.first() + ", transaction "
                            + written.firstXid() + "), by a session that bypassed the freeze; the other side lacks them");
                }
                return "nothing was written on " + side(n.publisher()) + " directly since the frozen point";
            }
            Unreplicated left = Unreplicated.peek(s, n.slot(), n.publication(), SLOT_RELEASE);
            if (!left.none()) {
                throw new StepFailure(step.id() + ": " + left.describe() + " (" + side(n.publisher()) + ", database "
                        + n.database() + ")");
            }
            return left.describe() + "; " + appliedWithin(step, n);
        } catch (TransportException | IllegalStateException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
    }

    /**
     * The subscriber applied no transaction committed after the frozen point: one it did was written through the
     * freeze (it reached the other side, but the frozen point the comparison holds is no longer one).
     */
    private String appliedWithin(Step step, Action.NothingUnreplicated n) {
        Lsn frozen = waits.positionOf(step, n.positionStep());
        Endpoint subscriber = n.publisher() == Endpoint.SOURCE ? Endpoint.TARGET : Endpoint.SOURCE;
        try (SqlSession s = ctx.sql(subscriber, n.database(), step.timeout())) {
            Optional<Lsn> applied = Subscriptions.appliedUpTo(s, n.subscription());
            if (applied.isPresent() && applied.get().compareTo(frozen) > 0) {
                throw new StepFailure(step.id() + ": " + side(subscriber) + " applied a transaction " + side(n.publisher())
                        + " committed after the frozen point " + frozen + " (up to " + applied.get() + ", database "
                        + n.database() + "): a session wrote through the freeze; its rows were replicated, but the"
                        + " frozen point holds no more");
            }
            return "nothing committed after the frozen point " + frozen + " was applied on " + side(subscriber);
        }
    }

    private static String side(Endpoint e) {
        return e == Endpoint.SOURCE ? "blue" : "green";
    }

    private SqlSession session(Endpoint endpoint, Step step) {
        return ctx.sql(endpoint, ctx.access(endpoint).maintenanceDatabase(), step.timeout());
    }
}
