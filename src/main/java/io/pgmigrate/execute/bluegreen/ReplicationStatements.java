package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.StepFailure;

import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Action.Endpoint;
import io.pgmigrate.plan.Step;
import io.pgmigrate.replication.Publications;
import io.pgmigrate.replication.Slots;
import io.pgmigrate.replication.Subscriptions;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.util.Optional;

/**
 * The blue/green plan's publications, subscriptions and slots, from the typed actions: each statement is the one the
 * plan shows, and each create asks first whether its object is there already, so that a rerun (after a crash, or a
 * retry) finishes the work instead of failing on it.
 */
final class ReplicationStatements {
    private final ExecutionContext ctx;

    ReplicationStatements(ExecutionContext ctx) {
        this.ctx = ctx;
    }

    /** The note of a replication action; empty for any other action. */
    Optional<String> run(Step step) {
        Action a = step.action();
        if (a instanceof Action.CreatePublication c) {
            return Optional.of(inSession(step, c.endpoint(), c.database(), s -> {
                if (Publications.exists(s, c.name())) {
                    return "publication " + SqlIdentifiers.quote(c.name()) + " already there";
                }
                s.execute(c.sql());
                return c.sql() + " done";
            }));
        }
        if (a instanceof Action.CreateSubscription c) {
            return Optional.of(createSubscription(step, c));
        }
        if (a instanceof Action.AlterSubscription c) {
            return Optional.of(statement(step, c.endpoint(), c.database(), c.sql()));
        }
        if (a instanceof Action.DropSubscription c) {
            return Optional.of(statement(step, c.endpoint(), c.database(), c.sql()));
        }
        if (a instanceof Action.DropPublication c) {
            return Optional.of(statement(step, c.endpoint(), c.database(), c.sql()));
        }
        if (a instanceof Action.DropSlots c) {
            return Optional.of(inSession(step, c.endpoint(), c.database(), s -> {
                int dropped = s.query(c.sql()).size();
                return dropped + " unused slot(s) dropped";
            }));
        }
        return Optional.empty();
    }

    /**
     * CREATE SUBSCRIPTION creates its slot on the publisher first; a creation that died after that leaves the slot
     * without a subscription, and the next CREATE would fail on it. Such a slot, of exactly this subscription's slot
     * name and used by nobody, is dropped first.
     */
    private String createSubscription(Step step, Action.CreateSubscription c) {
        return inSession(step, c.endpoint(), c.database(), s -> {
            if (Subscriptions.exists(s, c.name())) {
                return "subscription " + SqlIdentifiers.quote(c.name()) + " already there";
            }
            Endpoint publisher = c.endpoint() == Endpoint.SOURCE ? Endpoint.TARGET : Endpoint.SOURCE;
            String left = "";
            try (SqlSession p = ctx.sql(publisher, c.database(), step.timeout())) {
                if (Slots.dropIfUnused(p, c.slot())) {
                    left = " (an unused slot " + c.slot() + " left by an interrupted attempt was dropped first)";
                }
            }
            s.execute(c.sql());
            return c.sql().substring(0, c.sql().indexOf(" CONNECTION ")) + " done" + left;
        });
    }

    private String statement(Step step, Endpoint endpoint, String database, String sql) {
        return inSession(step, endpoint, database, s -> {
            s.execute(sql);
            return sql + " done";
        });
    }

    private String inSession(Step step, Endpoint endpoint, String database,
                             java.util.function.Function<SqlSession, String> work) {
        try (SqlSession s = ctx.sql(endpoint, database, step.timeout())) {
            return work.apply(s);
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
    }
}
