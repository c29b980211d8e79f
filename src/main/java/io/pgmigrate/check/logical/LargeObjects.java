package io.pgmigrate.check.logical;

import io.pgmigrate.plan.Severity;
import io.pgmigrate.core.Bytes;
import io.pgmigrate.facts.ProbeRow;

import java.util.List;

/** Large objects live in pg_largeobject, a system catalog: logical replication does not carry them. */
final class LargeObjects extends NotReplicated {
    static final String ID = "logical-large-objects";

    LargeObjects() {
        super(ID, Severity.WARNING, "large object(s)",
                "Large objects (lo_create, lo_import; oid columns that point at them) are stored in the system"
                        + " catalog pg_largeobject, which publications cannot include.",
                "The plan copies them itself at the frozen point of the cutover, from blue into green in one"
                        + " transaction with their oids, owners, privileges and contents (and back at a"
                        + " rollback), so the columns pointing at them stay valid; the write outage grows with"
                        + " their size. Moving them into bytea columns before the migration takes them out of"
                        + " the outage.");
    }

    @Override
    String sql() {
        return "SELECT count(*)::text AS large_objects,"
                + " pg_catalog.pg_relation_size('pg_catalog.pg_largeobject')::text AS size_bytes"
                + " FROM pg_catalog.pg_largeobject_metadata HAVING count(*) > 0";
    }

    @Override
    String object(ProbeRow row) {
        return row.get("large_objects") + " large object(s), " + Bytes.human(Long.parseLong(row.get("size_bytes")));
    }

    @Override
    long count(List<ProbeRow> rows) {
        return rows.stream().mapToLong(r -> Long.parseLong(r.get("large_objects"))).sum();
    }
}
