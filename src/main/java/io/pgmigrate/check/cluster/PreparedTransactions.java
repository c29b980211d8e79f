package io.pgmigrate.check.cluster;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.facts.SourceFacts.PreparedTransactionFacts;
import io.pgmigrate.inventory.Inventory;

import java.util.List;
import java.util.stream.Collectors;

/**
 * pg_upgrade refuses a cluster with prepared transactions: they would be lost. (The logical strategy has its
 * own check, {@code logical-prepared-transactions}: there they delay the replication slots.)
 */
public final class PreparedTransactions implements PreCheck {
    public static final String ID = "prepared-transactions";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        List<PreparedTransactionFacts> xacts = in.source().preparedTransactions();
        if (xacts.isEmpty() || in.inventory().strategy() != Strategy.PG_UPGRADE) {
            return List.of();
        }
        List<String> objects = xacts.stream().map(x -> "prepared transaction " + Sql.literal(x.gid())
                + " in database " + x.database() + " (owner " + x.owner() + ", prepared at " + x.prepared() + ")")
                .toList();
        String fix = "resolve each with its transaction manager, or by hand in its database: "
                + xacts.stream().map(x -> x.database() + ": COMMIT PREPARED " + Sql.literal(x.gid())
                + "; or ROLLBACK PREPARED " + Sql.literal(x.gid()) + ";").collect(Collectors.joining(" | "));
        return List.of(Finding.blocker(ID, xacts.size() + " prepared transaction(s) open on the source",
                "pg_upgrade refuses a cluster with prepared transactions (they hold locks and would be lost); "
                        + "they must be committed or rolled back before the upgrade, and the application's "
                        + "transaction manager (XA) should be drained before the outage.",
                objects, fix));
    }
}
