package io.pgmigrate.check.catalog;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.Severity;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.inspect.ProbeRow;

import java.util.ArrayList;
import java.util.List;

/**
 * Unlogged tables and sequences, for the record: pg_upgrade carries them with their contents on the
 * primary, but standbys rebuilt with rsync (pg_upgrade's documented way) do not get their contents, and a
 * failover to a standby finds them empty. Logical replication does not carry them either.
 */
final class UnloggedTables implements PreCheck {
    static final String ID = "unlogged-tables";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        return List.of(new Probe(ID, Probe.Scope.EACH_DATABASE,
                "SELECT n.nspname::text AS schema_name, c.relname::text AS relation_name, c.relkind::text AS relkind"
                        + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE c.relpersistence = 'u' AND c.relkind IN ('r', 'p', 'S')"
                        + " ORDER BY n.nspname, c.relname"));
    }

    @Override
    public List<Finding> evaluate(CheckInput input) {
        List<ProbeRow> rows = input.probe(ID);
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> objects = new ArrayList<>();
        for (ProbeRow r : rows) {
            objects.add(Names.inDb(r.database()) + ("S".equals(r.get("relkind")) ? "sequence " : "")
                    + Names.qualified(r.get("schema_name"), r.get("relation_name")));
        }
        return List.of(new Finding(ID, Severity.INFO, "Unlogged tables",
                "pg_upgrade carries unlogged tables and their contents on the primary. Standbys rebuilt with"
                        + " rsync after the upgrade get them empty, as standbys always have them: after a failover"
                        + " they are empty. Logical replication does not copy them.",
                objects, "Nothing to do for the upgrade. If their contents must survive a failover, make them"
                        + " logged before it: ALTER TABLE … SET LOGGED (rewrites the table into the WAL)."));
    }
}
