package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.check.catalog.FixScript;
import io.pgmigrate.check.catalog.Names;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.pg.SqlIdentifiers;

import java.util.ArrayList;
import java.util.List;

/**
 * Every replicated table needs a replica identity: its primary key, a unique index named with REPLICA IDENTITY
 * USING INDEX, or FULL. Once a publication FOR ALL TABLES exists, UPDATE and DELETE fail on a table without one,
 * in the application's own transactions: so this is a blocker, found before anything is created on blue.
 *
 * <p>A DEFERRABLE primary key does not serve as replica identity (PostgreSQL only uses immediate unique
 * indexes). Tables replication does not carry anyway (unlogged, temporary, foreign) are left out, as PostgreSQL's
 * publications leave them out. For each table the fix uses a unique index that qualifies as replica identity
 * (not partial, not deferrable, no expressions, every column NOT NULL) when there is one, else FULL.
 */
final class ReplicaIdentity implements PreCheck {
    static final String ID = "logical-replica-identity";

    /** Oids below this are the system's own objects (FirstNormalObjectId). */
    static final int FIRST_USER_OID = 16384;

    static final String SQL = """
            SELECT n.nspname::text AS schema_name, c.relname::text AS table_name, c.relreplident::text AS identity,
                   (SELECT i.relname::text
                      FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
                     WHERE x.indrelid = c.oid AND x.indisunique AND x.indimmediate AND x.indisvalid
                       AND x.indpred IS NULL AND x.indexprs IS NULL
                       AND NOT EXISTS (SELECT 1 FROM unnest(x.indkey::int2[]) k(attnum)
                                        LEFT JOIN pg_catalog.pg_attribute a
                                               ON a.attrelid = c.oid AND a.attnum = k.attnum
                                        WHERE k.attnum <= 0 OR NOT coalesce(a.attnotnull, false))
                     ORDER BY x.indnatts, i.relname LIMIT 1) AS usable_index,
                   EXISTS (SELECT 1 FROM pg_catalog.pg_index x
                           WHERE x.indrelid = c.oid AND x.indisprimary AND NOT x.indimmediate)::text AS deferrable_key
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND c.relpersistence = 'p' AND c.oid >= %d
              AND CASE c.relreplident
                    WHEN 'd' THEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index x
                                              WHERE x.indrelid = c.oid AND x.indisprimary AND x.indimmediate)
                    WHEN 'i' THEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index x
                                              WHERE x.indrelid = c.oid AND x.indisreplident)
                    WHEN 'n' THEN true
                    ELSE false
                  END
            ORDER BY n.nspname, c.relname""".formatted(FIRST_USER_OID);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        return List.of(new Probe(ID, Probe.Scope.EACH_DATABASE, SQL));
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        List<ProbeRow> rows = in.probe(ID);
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> objects = new ArrayList<>();
        FixScript fix = new FixScript();
        for (ProbeRow r : rows) {
            objects.add(Names.inDb(r.database()) + Names.qualified(r.get("schema_name"), r.get("table_name"))
                    + " (" + why(r) + ")");
            fix.add(r.database(), statement(r));
        }
        return List.of(Finding.blocker(ID, rows.size() + " table(s) without a primary key or replica identity",
                "Logical replication finds the row an UPDATE or DELETE changed by its replica identity. Once blue"
                        + " publishes these tables, every UPDATE and DELETE on them fails (\"cannot update table"
                        + " because it does not have a replica identity and publishes updates\"). The costs of the"
                        + " fixes: USING INDEX names an existing unique index over NOT NULL columns and costs"
                        + " nothing more, but dropping that index later leaves the table without an identity"
                        + " again; FULL makes every UPDATE and DELETE write the whole old row into the WAL, and"
                        + " green finds each changed row with an index on the table if one fits (PostgreSQL 16"
                        + " and later) or else by scanning the whole table, per change; adding a primary key is"
                        + " the cheapest for replication.",
                objects, fix.render("Before the plan runs, on blue, give each table an identity: a primary key"
                        + " where the data has one, otherwise the unique index shown, otherwise FULL:")));
    }

    private static String why(ProbeRow r) {
        String index = r.get("usable_index");
        String state = switch (r.get("identity")) {
            case "n" -> "REPLICA IDENTITY NOTHING";
            case "i" -> "its replica identity index no longer exists";
            default -> "true".equals(r.get("deferrable_key")) ? "its primary key is DEFERRABLE, which cannot serve"
                    : "no primary key";
        };
        return state + (index == null ? "; no unique index over NOT NULL columns"
                : "; unique index " + Names.ident(index) + " can serve");
    }

    private static String statement(ProbeRow r) {
        String table = SqlIdentifiers.qualified(r.get("schema_name"), r.get("table_name"));
        String index = r.get("usable_index");
        return "ALTER TABLE " + table + " REPLICA IDENTITY "
                + (index == null ? "FULL;" : "USING INDEX " + SqlIdentifiers.quote(index) + ";");
    }
}
