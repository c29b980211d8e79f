package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.Probe;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.inventory.Inventory;

import java.util.List;

/**
 * Unlogged tables and sequences, for the record: pg_upgrade carries them with their contents on the
 * primary, but standbys rebuilt with rsync (pg_upgrade's documented way) do not get their contents, and a
 * failover to a standby finds them empty. For pg_upgrade: the logical strategy says what becomes of them itself
 * ({@code logical-unlogged-tables}).
 */
final class UnloggedTables extends RowsCheck {
    static final String ID = "unlogged-tables";

    UnloggedTables() {
        super(ID, Probe.Scope.EACH_DATABASE, Severity.INFO, "Unlogged tables",
                "pg_upgrade carries unlogged tables and their contents on the primary. Standbys rebuilt with"
                        + " rsync after the upgrade get them empty, as standbys always have them: after a failover"
                        + " they are empty. Logical replication does not copy them.",
                "Nothing to do for the upgrade. If their contents must survive a failover, make them"
                        + " logged before it: ALTER TABLE … SET LOGGED (rewrites the table into the WAL).");
    }

    @Override
    public List<Finding> evaluate(CheckInput input) {
        return input.inventory().strategy() == Strategy.PG_UPGRADE ? super.evaluate(input) : List.of();
    }

    @Override
    String sql(UpgradePath path) {
        return "SELECT n.nspname::text AS schema_name, c.relname::text AS relation_name, c.relkind::text AS relkind"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relpersistence = 'u' AND c.relkind IN ('r', 'p', 'S')"
                + " ORDER BY n.nspname, c.relname";
    }

    @Override
    String object(ProbeRow r) {
        return Names.inDb(r.database()) + ("S".equals(r.get("relkind")) ? "sequence " : "")
                + Names.qualified(r.get("schema_name"), r.get("relation_name"));
    }

    /** None: nothing has to change for the upgrade, the lead says what to do if anything. */
    @Override
    String fix(ProbeRow r) {
        return null;
    }
}
