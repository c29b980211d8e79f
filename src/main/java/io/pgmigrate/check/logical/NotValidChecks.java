package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.check.catalog.Names;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;

import java.util.List;

/**
 * CHECK constraints that are NOT VALID, on tables and domains: legal on blue with rows that violate them (such a
 * constraint applies to new and updated rows only), but green's initial copy inserts every existing row, and a
 * constraint in force there would refuse them, for ever. pg_dump creates them after the data for the same reason; the
 * plan does as much: it drops them on green after the schema restore and adds them back, NOT VALID as on blue, once the
 * initial copy is done (the statements are in the plan, built from {@link #dropOnGreen} and {@link #addOnGreen}).
 * Foreign keys need nothing: replication applies rows with their triggers off.
 */
public final class NotValidChecks implements PreCheck {
    public static final String ID = "logical-not-valid-checks";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        return List.of(new Probe(ID, Probe.Scope.EACH_DATABASE, "SELECT n.nspname::text AS schema_name,"
                + " coalesce(c.relname, t.typname)::text AS relation_name, con.conname::text AS constraint_name,"
                + " CASE WHEN con.contypid <> 0 THEN 'domain' ELSE 'table' END AS kind,"
                + " pg_catalog.pg_get_constraintdef(con.oid) AS definition"
                + " FROM pg_catalog.pg_constraint con"
                + " LEFT JOIN pg_catalog.pg_class c ON c.oid = con.conrelid AND con.conrelid <> 0"
                + " LEFT JOIN pg_catalog.pg_type t ON t.oid = con.contypid AND con.contypid <> 0"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = coalesce(c.relnamespace, t.typnamespace)"
                + " WHERE con.contype = 'c' AND NOT con.convalidated"
                + " AND (con.contypid <> 0 OR con.coninhcount = 0)" // a parent's ALTER TABLE reaches its children
                + " AND con.oid >= " + ReplicaIdentity.FIRST_USER_OID
                + " ORDER BY 1, 2, 3"));
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        List<ProbeRow> rows = in.probe(ID);
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> objects = rows.stream().map(r -> Names.inDb(r.database())
                + Names.qualified(r.get("schema_name"), r.get("relation_name")) + ": " + r.get("constraint_name")
                + " " + r.get("definition")).toList();
        return List.of(new Finding(ID, Severity.INFO, rows.size() + " NOT VALID check constraint(s): created on green"
                + " after the initial copy",
                "Rows that existed before such a constraint was added may violate it on blue; green's initial copy"
                        + " brings them along, and a constraint in force there would refuse them.", objects,
                "None: the plan drops them on green after the schema restore and adds them back, NOT VALID as on"
                        + " blue, once the initial copy is done (pg_dump orders a data load the same way)."));
    }

    /** The statement that removes the row's constraint on green, if it is there. */
    public static String dropOnGreen(ProbeRow r) {
        return alter(r) + " DROP CONSTRAINT IF EXISTS " + SqlIdentifiers.quote(r.get("constraint_name"));
    }

    /** The statement that adds it back as blue has it ({@code pg_get_constraintdef}: CHECK (…) NOT VALID). */
    public static String addOnGreen(ProbeRow r) {
        return alter(r) + " ADD CONSTRAINT " + SqlIdentifiers.quote(r.get("constraint_name")) + " "
                + r.get("definition");
    }

    private static String alter(ProbeRow r) {
        return ("domain".equals(r.get("kind")) ? "ALTER DOMAIN " : "ALTER TABLE ")
                + SqlIdentifiers.qualified(r.get("schema_name"), r.get("relation_name"));
    }
}
