package io.pgmigrate.check.logical;

import io.pgmigrate.plan.Severity;
import io.pgmigrate.facts.ProbeRow;

import java.util.List;

/** PostgreSQL does not replicate sequences: the cutover copies every sequence's position at the frozen point. */
final class Sequences extends NotReplicated {
    static final String ID = "logical-sequences";

    Sequences() {
        super(ID, Severity.INFO, "sequence(s)",
                "Logical replication does not carry sequences: green's sequences stay where the schema restore"
                        + " left them while the tables fill.",
                "The plan copies last_value and is_called of every sequence (owned by a column or not) from blue"
                        + " to green at the frozen point of the cutover, so that green continues above every value"
                        + " blue handed out.");
    }

    @Override
    String sql() {
        return "SELECT count(*)::text AS sequences FROM pg_catalog.pg_class"
                + " WHERE relkind = 'S' AND oid >= " + ReplicaIdentity.FIRST_USER_OID + " HAVING count(*) > 0";
    }

    @Override
    String object(ProbeRow row) {
        return row.get("sequences") + " sequence(s)";
    }

    @Override
    long count(List<ProbeRow> rows) {
        return rows.stream().mapToLong(r -> Long.parseLong(r.get("sequences"))).sum();
    }
}
