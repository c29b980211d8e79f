package io.pgmigrate.check.catalog;

import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.pg.SqlIdentifiers;

import java.util.ArrayList;
import java.util.List;

/**
 * When the target is built with a newer Unicode version than the source, relations whose contents depend
 * on Unicode character semantics of the builtin collation provider (indexes, CHECK constraints,
 * partition keys and materialized views using normalize(), lower()/upper()/initcap()/casefold(),
 * regular expressions, … under a builtin C.UTF-8 or PG_UNICODE_FAST collation) may need rebuilding.
 * As pg_upgrade 18 does: source ≥ 17 (where the builtin provider exists), UTF8 databases, WARNING.
 */
final class UnicodeUpdate implements PreCheck {
    static final String ID = "unicode-update";
    static final String VERSION_PROBE = ID + ".version";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean appliesTo(UpgradePath path) {
        return path.sourceAtLeast(1700) && UnicodeVersions.of(path.targetMajor()).isPresent();
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        return List.of(
                new Probe(VERSION_PROBE, Probe.Scope.CLUSTER,
                        "SELECT pg_catalog.unicode_version()::text AS unicode_version"),
                new Probe(ID, Probe.Scope.EACH_DATABASE, RELATIONS));
    }

    private static final String RELATIONS =
            "WITH builtin_collations(collid) AS ("
                    + "  SELECT c.oid FROM pg_catalog.pg_collation c"
                    + "  WHERE c.collprovider = 'b' AND c.colllocale IN ('C.UTF-8', 'PG_UNICODE_FAST')"
                    + "  UNION"
                    + "  SELECT 'pg_catalog.default'::pg_catalog.regcollation::pg_catalog.oid"
                    + "  FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()"
                    + "  AND d.datlocprovider = 'b' AND d.datlocale IN ('C.UTF-8', 'PG_UNICODE_FAST')"
                    + "), unicode_functions(procid) AS ("
                    + "  SELECT p.oid FROM pg_catalog.pg_proc p"
                    + "  WHERE p.pronamespace = 'pg_catalog'::pg_catalog.regnamespace"
                    + "  AND p.proname IN ('normalize', 'is_normalized', 'unicode_assigned', 'unicode_version')"
                    + "), collation_operators(operid, procid, collid) AS ("
                    + "  SELECT o.oid, o.oprcode, b.collid FROM pg_catalog.pg_operator o CROSS JOIN builtin_collations b"
                    + "  WHERE o.oprnamespace = 'pg_catalog'::pg_catalog.regnamespace"
                    + "  AND o.oprname IN ('~', '~*', '!~', '!~*', '~~*', '!~~*')"
                    + "  AND o.oprright = 'pg_catalog.text'::pg_catalog.regtype"
                    + "), collation_functions(procid, collid) AS ("
                    + "  SELECT p.oid, b.collid FROM pg_catalog.pg_proc p CROSS JOIN builtin_collations b"
                    + "  WHERE p.pronamespace = 'pg_catalog'::pg_catalog.regnamespace AND ("
                    + "    (p.proname IN ('lower', 'upper', 'initcap', 'casefold') AND p.pronargs = 1"
                    + "     AND p.proargtypes[0] = 'pg_catalog.text'::pg_catalog.regtype)"
                    + "    OR (p.proname = 'substring' AND p.pronargs = 2"
                    + "     AND p.proargtypes[0] = 'pg_catalog.text'::pg_catalog.regtype"
                    + "     AND p.proargtypes[1] = 'pg_catalog.text'::pg_catalog.regtype)"
                    + "    OR p.proname LIKE 'regexp%')"
                    + "  UNION SELECT procid, collid FROM collation_operators"
                    + "), patterns(p) AS ("
                    // node-tree text of a call of such a function, or an operator/function evaluated under such a collation
                    + "  SELECT '{FUNCEXPR :funcid ' || procid::text || '[ }]' FROM unicode_functions"
                    + "  UNION SELECT '{OPEXPR :opno ' || operid::text || ' (:\\w+ \\w+ )*:inputcollid '"
                    + "    || collid::text || '[ }]' FROM collation_operators"
                    + "  UNION SELECT '{FUNCEXPR :funcid ' || procid::text || ' (:\\w+ \\w+ )*:inputcollid '"
                    + "    || collid::text || '[ }]' FROM collation_functions"
                    + "), affected(reloid) AS ("
                    + "  SELECT c.conrelid FROM pg_catalog.pg_constraint c, patterns WHERE c.conbin::text ~ patterns.p"
                    + "  UNION SELECT i.indexrelid FROM pg_catalog.pg_index i, patterns"
                    + "    WHERE i.indexprs::text ~ patterns.p OR i.indpred::text ~ patterns.p"
                    + "  UNION SELECT pt.partrelid FROM pg_catalog.pg_partitioned_table pt, patterns"
                    + "    WHERE pt.partexprs::text ~ patterns.p"
                    + "  UNION SELECT r.ev_class FROM pg_catalog.pg_rewrite r"
                    + "    JOIN pg_catalog.pg_class mv ON mv.oid = r.ev_class AND mv.relkind = 'm', patterns"
                    + "    WHERE r.ev_action::text ~ patterns.p"
                    + ")"
                    + " SELECT n.nspname::text AS schema_name, c.relname::text AS relation_name,"
                    + " c.relkind::text AS relkind"
                    + " FROM affected a JOIN pg_catalog.pg_class c ON c.oid = a.reloid"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " JOIN pg_catalog.pg_database d ON d.datname = pg_catalog.current_database()"
                    + " WHERE d.encoding = pg_catalog.pg_char_to_encoding('UTF8')"
                    + " ORDER BY n.nspname, c.relname";

    @Override
    public List<Finding> evaluate(CheckInput input) {
        String target = UnicodeVersions.of(input.path().targetMajor()).orElse(null);
        List<ProbeRow> version = input.probe(VERSION_PROBE);
        String source = version.isEmpty() ? UnicodeVersions.of(input.path().sourceMajor()).orElse(null)
                : version.get(0).get("unicode_version");
        if (target == null || source == null || source.equals(target)) {
            return List.of();
        }
        List<ProbeRow> rows = input.probe(ID);
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> objects = new ArrayList<>();
        FixScript fix = new FixScript();
        for (ProbeRow r : rows) {
            String display = Names.qualified(r.get("schema_name"), r.get("relation_name"));
            String quoted = SqlIdentifiers.qualified(r.get("schema_name"), r.get("relation_name"));
            switch (r.get("relkind")) {
                case "i" -> {
                    objects.add(Names.inDb(r.database()) + "index " + display);
                    fix.add(r.database(), "REINDEX INDEX " + quoted + ";");
                }
                case "m" -> {
                    objects.add(Names.inDb(r.database()) + "materialized view " + display);
                    fix.add(r.database(), "REFRESH MATERIALIZED VIEW " + quoted + ";");
                }
                default -> {
                    objects.add(Names.inDb(r.database()) + "table " + display
                            + " (CHECK constraint or partition key)");
                    fix.add(r.database(), "-- " + quoted + ": check that its rows still satisfy its CHECK"
                            + " constraints and sit in the right partitions");
                }
            }
        }
        return List.of(Finding.warning(ID, "Relations that may be affected by the Unicode update",
                "The source uses Unicode " + source + ", PostgreSQL " + PgVersion.majorLabel(input.path().targetMajor())
                        + " uses Unicode " + target + ". Expressions in these relations depend on Unicode"
                        + " character semantics (builtin collation provider, normalization), so their"
                        + " indexes or stored results may disagree with the new version for newly assigned"
                        + " characters.",
                objects, fix.render("After the upgrade, rebuild what depends on Unicode:")));
    }
}
