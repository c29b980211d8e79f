package io.pgmigrate.check.catalog;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.pg.CollationVersionSql;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.plan.Finding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The versions the source recorded for its collations (each database's default collation from 15 on, every libc and
 * ICU collation from 13 on) against what the source host's libc and ICU provide now. A difference, typical after an
 * operating system upgrade, means text may sort differently from the order its indexes were built in: lookups can
 * miss rows, unique indexes can let duplicates in. pg_upgrade carries the index files and the recorded versions as
 * they are; blue/green builds green's indexes anew, but copies whatever rows blue's stale indexes let in. WARNING,
 * naming the indexes that depend on each collation (up to {@link #LISTED} of them) and the REINDEX to run.
 *
 * <p>Only the source as it runs is compared: the target's libraries are not known before its server runs.
 */
final class CollationVersions implements PreCheck {
    static final String ID = "collation-versions";
    static final String DATABASES_PROBE = ID + ".databases";
    /** Indexes named per collation and database; past this, the fix reindexes the whole database. */
    static final int LISTED = 20;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean appliesTo(UpgradePath path) {
        return path.sourceAtLeast(13);
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        List<Probe> probes = new ArrayList<>();
        if (path.sourceAtLeast(15)) {
            probes.add(new Probe(DATABASES_PROBE, Probe.Scope.CLUSTER,
                    CollationVersionSql.databases(path.sourceMajor())));
        }
        probes.add(new Probe(ID, Probe.Scope.EACH_DATABASE,
                CollationVersionSql.dependentIndexes(path.sourceMajor(), LISTED)));
        return probes;
    }

    /** One stale collation of one database and the indexes the probe listed for it. */
    private record Stale(String database, ProbeRow first, List<ProbeRow> indexes) {
        boolean isDefault() {
            return first.get("schema_name") == null;
        }

        long count() {
            return Long.parseLong(first.get("index_count"));
        }
    }

    @Override
    public List<Finding> evaluate(CheckInput input) {
        Map<String, Stale> stale = new LinkedHashMap<>();
        for (ProbeRow r : input.probe(ID)) {
            String key = r.database() + "\u0000" + r.get("schema_name") + "\u0000" + r.get("collation_name");
            stale.computeIfAbsent(key, k -> new Stale(r.database(), r, new ArrayList<>())).indexes().add(r);
        }
        List<ProbeRow> databases = input.probe(DATABASES_PROBE);
        if (stale.isEmpty() && databases.isEmpty()) {
            return List.of();
        }
        List<String> objects = new ArrayList<>();
        FixScript fix = new FixScript();
        for (ProbeRow d : databases) {
            objects.add("database " + Names.ident(d.get("database_name")) + ": default collation ("
                    + provider(d.get("provider")) + " " + d.get("locale") + ") recorded version " + d.get("recorded")
                    + ", the host provides " + d.get("actual") + indexSummary(stale.values().stream()
                    .filter(s -> s.isDefault() && s.database().equals(d.get("database_name"))).findFirst()
                    .orElse(null)));
        }
        for (Stale s : stale.values()) {
            if (!s.isDefault()) {
                objects.add(Names.inDb(s.database()) + "collation "
                        + Names.qualified(s.first().get("schema_name"), s.first().get("collation_name")) + " ("
                        + provider(s.first().get("provider")) + ") recorded version " + s.first().get("recorded")
                        + ", the host provides " + s.first().get("actual") + indexSummary(s));
            }
            if (s.count() > s.indexes().size()) {
                fix.add(s.database(), "REINDEX DATABASE " + SqlIdentifiers.quote(s.database()) + ";");
            } else {
                s.indexes().forEach(i -> fix.add(s.database(), "REINDEX INDEX "
                        + SqlIdentifiers.qualified(i.get("index_schema"), i.get("index_name")) + ";"));
            }
            if (!s.isDefault()) {
                fix.add(s.database(), "ALTER COLLATION " + SqlIdentifiers.qualified(s.first().get("schema_name"),
                        s.first().get("collation_name")) + " REFRESH VERSION;");
            }
        }
        for (ProbeRow d : databases) {
            fix.add(FixScript.ANY_DATABASE, "ALTER DATABASE " + SqlIdentifiers.quote(d.get("database_name"))
                    + " REFRESH COLLATION VERSION;");
        }
        return List.of(Finding.warning(ID, "Collation versions differ from the host's libc/ICU",
                "The source recorded these collation versions when the collations (and the indexes ordered by them)"
                        + " were made; the host's libc or ICU now reports another version, typically after an"
                        + " operating system upgrade. Text may now sort differently from the order these indexes were"
                        + " built in: lookups can miss rows and unique indexes can let duplicates in. pg_upgrade"
                        + " carries the index files and the recorded versions unchanged; blue/green builds green's"
                        + " indexes anew, but copies whatever rows the stale indexes let in (a duplicate fails the"
                        + " copy). With options.verify.amcheck: true, the verification after the upgrade checks"
                        + " the btree indexes that depend on a collation whose version differs (bt_index_check).",
                objects, fix.render("Before the upgrade, on the source: rebuild the dependent indexes (REINDEX"
                        + " INDEX CONCURRENTLY keeps writes going), then record the host's version, which also"
                        + " silences the server's mismatch warning:")));
    }

    /** ": N dependent indexes: a, b, … and M more", or that none depends on it. */
    private static String indexSummary(Stale s) {
        if (s == null || s.indexes().isEmpty()) {
            return "; no index depends on it";
        }
        List<String> names = s.indexes().stream().map(i -> Names.qualified(i.get("index_schema"), i.get("index_name"))
                + " on " + Names.qualified(i.get("table_schema"), i.get("table_name"))).toList();
        long more = s.count() - names.size();
        return "; " + s.count() + (s.count() == 1 ? " dependent index: " : " dependent indexes: ")
                + String.join(", ", names) + (more > 0 ? " and " + more + " more" : "");
    }

    private static String provider(String code) {
        return switch (code == null ? "" : code) {
            case "c" -> "libc";
            case "i" -> "ICU";
            case "b" -> "builtin";
            case "d" -> "database default";
            default -> code;
        };
    }
}
