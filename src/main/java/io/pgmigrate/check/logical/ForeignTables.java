package io.pgmigrate.check.logical;

import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.catalog.Names;
import io.pgmigrate.facts.ProbeRow;

/** Foreign tables hold no data in blue: green gets their definitions, and must reach their servers itself. */
final class ForeignTables extends NotReplicated {
    static final String ID = "logical-foreign-tables";

    ForeignTables() {
        super(ID, Severity.INFO, "foreign table(s)",
                "A foreign table's rows live on its foreign server; publications leave foreign tables out.",
                "Nothing is copied: the plan restores their definitions, foreign servers and user mappings on green"
                        + " with the schema. Check that each foreign server accepts connections from green's host"
                        + " (its pg_hba.conf or firewall), and that the wrapper's extension is installed for the"
                        + " target version.");
    }

    @Override
    String sql() {
        return "SELECT n.nspname::text AS schema_name, c.relname::text AS relation_name, s.srvname::text AS server_name"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_catalog.pg_foreign_table f ON f.ftrelid = c.oid"
                + " JOIN pg_catalog.pg_foreign_server s ON s.oid = f.ftserver"
                + " WHERE c.relkind = 'f' ORDER BY n.nspname, c.relname";
    }

    @Override
    String object(ProbeRow row) {
        return relation(row) + " (server " + Names.ident(row.get("server_name")) + ")";
    }
}
