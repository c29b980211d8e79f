package io.pgmigrate.check.catalog;

import io.pgmigrate.check.Probe;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;

/**
 * Stored expressions with {@code IS DISTINCT FROM} or {@code NULLIF} over an operator outside pg_catalog
 * (citext's {@code =}, say). SQL has no syntax to name the operator of these constructs, so pg_dump prints
 * them bare and pg_upgrade restores them with an empty search_path: the restored expression binds
 * another operator (citext's columns compared as text, case-sensitively). The upgrade succeeds and the
 * trigger, index, constraint, default, view or policy silently means something else.
 */
final class DistinctOperatorsOutsideCatalog extends RowsCheck {
    static final String ID = "distinct-operators-outside-catalog";

    /** Every stored expression with the object it belongs to, as node trees (text), one query. */
    private static final String EXPRESSIONS = """
            SELECT 'trigger ' || pg_catalog.quote_ident(t.tgname) || ' on ' || t.tgrelid::pg_catalog.regclass AS obj,
                   t.tgqual::text AS tree
            FROM pg_catalog.pg_trigger t WHERE t.tgqual IS NOT NULL AND NOT t.tgisinternal
            UNION ALL
            SELECT 'index ' || i.indexrelid::pg_catalog.regclass,
                   coalesce(i.indexprs::text, '') || coalesce(i.indpred::text, '')
            FROM pg_catalog.pg_index i WHERE i.indexprs IS NOT NULL OR i.indpred IS NOT NULL
            UNION ALL
            SELECT 'constraint ' || pg_catalog.quote_ident(c.conname) || ' on '
                   || CASE WHEN c.conrelid <> 0 THEN c.conrelid::pg_catalog.regclass::text
                           ELSE 'domain ' || c.contypid::pg_catalog.regtype::text END,
                   c.conbin::text
            FROM pg_catalog.pg_constraint c WHERE c.conbin IS NOT NULL
            UNION ALL
            SELECT 'default of ' || d.adrelid::pg_catalog.regclass || '.' || pg_catalog.quote_ident(a.attname),
                   d.adbin::text
            FROM pg_catalog.pg_attrdef d
            JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
            UNION ALL
            SELECT CASE WHEN r.rulename = '_RETURN'
                        THEN CASE c.relkind WHEN 'm' THEN 'materialized view ' ELSE 'view ' END
                        ELSE 'rule ' || pg_catalog.quote_ident(r.rulename) || ' of ' END
                   || r.ev_class::pg_catalog.regclass, r.ev_action::text
            FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class WHERE r.oid >= 16384
            UNION ALL
            SELECT 'policy ' || pg_catalog.quote_ident(p.polname) || ' on ' || p.polrelid::pg_catalog.regclass,
                   coalesce(p.polqual::text, '') || coalesce(p.polwithcheck::text, '')
            FROM pg_catalog.pg_policy p""";

    DistinctOperatorsOutsideCatalog() {
        super(ID, Probe.Scope.EACH_DATABASE, Severity.WARNING,
                "IS DISTINCT FROM / NULLIF over an operator outside pg_catalog: its meaning changes in the upgrade",
                "SQL cannot name the operator of IS DISTINCT FROM or NULLIF, so pg_dump writes them bare and"
                        + " pg_upgrade restores them with an empty search_path, where another operator is chosen"
                        + " (citext compared as text, case-sensitively). The upgrade succeeds; the object then"
                        + " behaves differently.",
                "Rewrite each expression so that it does not depend on search_path before the upgrade, e.g."
                        + " NOT (a OPERATOR(public.=) b) with explicit NULL handling instead of a IS DISTINCT FROM b,"
                        + " or compare lower(a) and lower(b); then make a new plan.");
    }

    @Override
    public boolean appliesTo(UpgradePath path) {
        return true;
    }

    @Override
    String sql(UpgradePath path) {
        return "SELECT DISTINCT e.obj, n.nspname::text AS operator_schema, o.oprname::text AS operator_name,"
                + " pg_catalog.format_type(o.oprleft, NULL) AS left_type,"
                + " pg_catalog.format_type(o.oprright, NULL) AS right_type,"
                + " CASE WHEN m[1] = 'NULLIFEXPR' THEN 'NULLIF' ELSE 'IS DISTINCT FROM' END AS construct"
                + " FROM (" + EXPRESSIONS + ") e"
                + " CROSS JOIN LATERAL pg_catalog.regexp_matches(e.tree, '\\{(DISTINCTEXPR|NULLIFEXPR) :opno (\\d+)', 'g') m"
                + " JOIN pg_catalog.pg_operator o ON o.oid = m[2]::pg_catalog.oid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace"
                + " WHERE n.nspname <> 'pg_catalog'"
                + " ORDER BY 1, 2, 3";
    }

    @Override
    String object(ProbeRow r) {
        return Names.inDb(r.database()) + r.get("obj") + ": " + r.get("construct") + " uses operator "
                + Names.ident(r.get("operator_schema")) + "." + r.get("operator_name") + "(" + r.get("left_type")
                + ", " + r.get("right_type") + ")";
    }

    @Override
    String fix(ProbeRow r) {
        return null;
    }
}
