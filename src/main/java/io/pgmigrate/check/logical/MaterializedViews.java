package io.pgmigrate.check.logical;

import io.pgmigrate.plan.Severity;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.pg.SqlIdentifiers;

/**
 * Materialized views are not published: green gets their definitions and refreshes them itself, those that are
 * populated on blue (one made WITH NO DATA stays so on green, as on blue).
 */
final class MaterializedViews extends NotReplicated {
    static final String ID = "logical-materialized-views";

    MaterializedViews() {
        super(ID, Severity.INFO, "materialized view(s)",
                "Publications carry tables only; a materialized view's contents are not replicated.",
                "The plan creates them on green with the schema and refreshes them there once the initial copy is"
                        + " done, before the cutover, so that clients never find one unpopulated on green, and again"
                        + " after the switch, when green's tables are final, with:");
    }

    @Override
    String sql() {
        return relationsSql("'m'", "c.relispopulated");
    }

    @Override
    String object(ProbeRow row) {
        return relation(row);
    }

    @Override
    String statement(ProbeRow row) {
        return "REFRESH MATERIALIZED VIEW " + SqlIdentifiers.qualified(row.get("schema_name"), row.get("relation_name"))
                + ";";
    }
}
