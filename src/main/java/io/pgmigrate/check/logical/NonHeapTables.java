package io.pgmigrate.check.logical;

import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.catalog.Names;
import io.pgmigrate.facts.ProbeRow;

/**
 * Tables of another table access method than heap: logical decoding reads the heap's WAL records, so their
 * changes are not streamed; the initial copy would carry a snapshot that then goes stale.
 */
final class NonHeapTables extends NotReplicated {
    static final String ID = "logical-non-heap-tables";

    NonHeapTables() {
        super(ID, Severity.WARNING, "table(s) of a non-heap access method",
                "Logical decoding turns the heap's WAL records into changes; tables of another access method"
                        + " (columnar stores and the like) write other records, so their changes after the"
                        + " initial copy would not reach green.",
                "The plan leaves them out of the publications and copies their contents at the frozen point of the"
                        + " cutover (COPY from blue into green), which lengthens the write outage by the time"
                        + " that takes; the access method's extension must exist for the target version.");
    }

    @Override
    String sql() {
        return "SELECT n.nspname::text AS schema_name, c.relname::text AS relation_name, a.amname::text AS access_method"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_catalog.pg_am a ON a.oid = c.relam"
                + " WHERE c.relkind IN ('r', 'm') AND a.amname <> 'heap' AND c.oid >= " + ReplicaIdentity.FIRST_USER_OID
                + " ORDER BY n.nspname, c.relname";
    }

    @Override
    String object(ProbeRow row) {
        return relation(row) + " (USING " + Names.ident(row.get("access_method")) + ")";
    }
}
