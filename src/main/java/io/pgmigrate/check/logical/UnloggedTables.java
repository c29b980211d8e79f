package io.pgmigrate.check.logical;

import io.pgmigrate.plan.Severity;
import io.pgmigrate.facts.ProbeRow;

/** Unlogged tables write no WAL, so there is nothing to decode: green gets them empty. */
final class UnloggedTables extends NotReplicated {
    static final String ID = "logical-unlogged-tables";

    UnloggedTables() {
        super(ID, Severity.WARNING, "unlogged table(s)",
                "Unlogged tables write no WAL, so logical replication neither copies nor streams them; publications"
                        + " leave them out.",
                "The plan creates them on green with the schema, empty: their contents (caches, sessions, staging"
                        + " data) are not carried. If they must be, make them logged before the plan runs"
                        + " (ALTER TABLE … SET LOGGED, which rewrites the table into the WAL).");
    }

    @Override
    String sql() {
        return relationsSql("'r', 'p'", "c.relpersistence = 'u'");
    }

    @Override
    String object(ProbeRow row) {
        return relation(row);
    }
}
