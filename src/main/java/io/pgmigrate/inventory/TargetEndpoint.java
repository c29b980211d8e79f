package io.pgmigrate.inventory;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.inventory.Inventory.Host;
import io.pgmigrate.inventory.Inventory.PgEndpoint;

/**
 * How the new (green) cluster's PostgreSQL is reached while it runs beside the old one (strategy
 * {@code logical}); the inventory has no {@code target.pg} section, so it follows from the source's:
 * same user, database and sslmode, port {@code target.port}. On the source host: the source's
 * {@code pg.host} and {@code tunnel}. On another {@code target.host}: through an SSH tunnel to
 * 127.0.0.1 there when {@code source.tunnel} is on, else straight to that host's address; on
 * {@code target.host: local}, 127.0.0.1.
 */
public record TargetEndpoint(Host host, PgEndpoint pg, boolean tunnel) {

    /** Green's endpoint; one line naming the strategy when the inventory's target never runs beside the source. */
    public static TargetEndpoint of(Inventory inv) {
        if (inv.strategy() != Strategy.LOGICAL) {
            throw new io.pgmigrate.core.PgMigrateException(io.pgmigrate.core.ExitCode.BAD_INPUT, inv.file()
                    + ": strategy " + inv.strategy().key() + " upgrades the cluster in place, so its old and new"
                    + " versions never run at the same time and there is no live target to compare with; compare"
                    + " with the baseline execute took: pgmigrate verify -i " + inv.file() + " PLAN");
        }
        PgEndpoint src = inv.source().pg();
        Host host = inv.target().host();
        int port = inv.target().port();
        if (host == null) {
            return new TargetEndpoint(inv.source().host(), with(src, src.host(), port), inv.source().tunnel());
        }
        if (host.isLocal()) {
            return new TargetEndpoint(host, with(src, "127.0.0.1", port), false);
        }
        boolean tunnel = inv.source().tunnel();
        return new TargetEndpoint(host, with(src, tunnel ? "127.0.0.1" : host.address(), port), tunnel);
    }

    private static PgEndpoint with(PgEndpoint src, String host, int port) {
        return new PgEndpoint(host, port, src.user(), src.database(), src.sslmode());
    }
}
