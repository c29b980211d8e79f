package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.catalog.Names;
import io.pgmigrate.facts.SourceFacts.PreparedTransactionFacts;
import io.pgmigrate.pg.SqlIdentifiers;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Prepared transactions (two-phase commit) on blue. A prepared transaction holds its transaction id until it is
 * committed or rolled back: creating a replication slot waits for it, however long the transaction manager takes.
 */
final class PreparedTransactions implements PreCheck {
    static final String ID = "logical-prepared-transactions";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        List<PreparedTransactionFacts> xacts = in.source().preparedTransactions();
        if (xacts.isEmpty()) {
            return List.of();
        }
        List<String> objects = xacts.stream().map(x -> "prepared transaction " + SqlIdentifiers.literal(x.gid())
                + " in db " + Names.ident(x.database()) + " (owner " + x.owner() + ", prepared at " + x.prepared()
                + ")").toList();
        return List.of(Finding.warning(ID, xacts.size() + " prepared transaction(s) on blue",
                "A prepared transaction keeps its transaction id until COMMIT PREPARED or ROLLBACK PREPARED;"
                        + " creating a subscription's replication slot waits until it is resolved, so a forgotten"
                        + " one stops the migration before the initial copy starts. At the cutover the plan also"
                        + " requires that none is open (the frozen point must hold every committed write).",
                objects, "resolve each with its transaction manager, or by hand in its database: " + xacts.stream()
                        .map(x -> Names.ident(x.database()) + ": COMMIT PREPARED " + SqlIdentifiers.literal(x.gid())
                                + "; or ROLLBACK PREPARED " + SqlIdentifiers.literal(x.gid()) + ";")
                        .collect(Collectors.joining(" | "))));
    }
}
