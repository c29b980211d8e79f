package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.check.catalog.FixScript;
import io.pgmigrate.check.catalog.Names;
import io.pgmigrate.facts.ProbeRow;

import java.util.ArrayList;
import java.util.List;

/**
 * Objects logical replication does not carry, found by one per-database probe that returns one row per object
 * (or per database, for counts): no rows, no finding; otherwise one finding that names every object and says how
 * the plan carries them instead. Subclasses give the probe, how a row reads, and the texts.
 */
abstract class NotReplicated implements PreCheck {
    private final String id;
    private final Severity severity;
    private final String what;
    private final String detail;
    private final String handling;

    /**
     * @param what     the kind of object, plural, for the title ("unlogged tables")
     * @param handling the plan's way to carry them, the finding's fix (followed by statements when rows have any)
     */
    NotReplicated(String id, Severity severity, String what, String detail, String handling) {
        this.id = id;
        this.severity = severity;
        this.what = what;
        this.detail = detail;
        this.handling = handling;
    }

    /** The per-database probe's SELECT. */
    abstract String sql();

    /** The row as a DBA reads it, without the database prefix. */
    abstract String object(ProbeRow row);

    /** A statement the plan runs on green for the row, or null. */
    String statement(ProbeRow row) {
        return null;
    }

    /** How many objects the rows stand for (one per row unless the rows are counts). */
    long count(List<ProbeRow> rows) {
        return rows.size();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        return List.of(new Probe(id, Probe.Scope.EACH_DATABASE, sql()));
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        List<ProbeRow> rows = in.probe(id);
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> objects = new ArrayList<>();
        FixScript statements = new FixScript();
        for (ProbeRow r : rows) {
            objects.add(Names.inDb(r.database()) + object(r));
            String st = statement(r);
            if (st != null) {
                statements.add(r.database(), st);
            }
        }
        return List.of(new Finding(id, severity, count(rows) + " " + what + ": not replicated", detail, objects,
                statements.render(handling)));
    }

    /** A relation's name as the finding lists it. */
    static String relation(ProbeRow r) {
        return Names.qualified(r.get("schema_name"), r.get("relation_name"));
    }

    /** The probe for user relations of the given kinds that match a condition, in name order. */
    static String relationsSql(String relkinds, String condition) {
        return "SELECT n.nspname::text AS schema_name, c.relname::text AS relation_name"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind IN (" + relkinds + ") AND c.oid >= " + ReplicaIdentity.FIRST_USER_OID
                + (condition.isEmpty() ? "" : " AND " + condition)
                + " ORDER BY n.nspname, c.relname";
    }
}
