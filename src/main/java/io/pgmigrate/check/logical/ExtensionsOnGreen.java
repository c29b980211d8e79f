package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.catalog.Names;
import io.pgmigrate.check.cluster.ExtensionPackages;
import io.pgmigrate.facts.SourceFacts.DatabaseFacts;
import io.pgmigrate.facts.SourceFacts.ExtensionFacts;
import io.pgmigrate.facts.TargetFacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every extension installed on blue must be installable on green: the schema restore runs CREATE EXTENSION, which
 * needs the extension's control file in the target installation. Green gets the target's default version, so no
 * update path is needed (unlike pg_upgrade, which carries the old version).
 */
final class ExtensionsOnGreen implements PreCheck {
    static final String ID = "logical-extensions-on-green";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        TargetFacts t = in.target();
        int major = in.path().targetMajor();
        Map<String, List<String>> missing = new TreeMap<>();
        for (DatabaseFacts db : in.source().databases()) {
            for (ExtensionFacts e : db.extensions()) {
                if (!t.hasExtension(e.name())) {
                    missing.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(Names.inDb(db.name()) + e.name()
                            + " " + e.version() + " (schema " + Names.ident(e.schema()) + ")");
                }
            }
        }
        List<Finding> out = new ArrayList<>();
        missing.forEach((name, objects) -> out.add(ExtensionPackages.removedBy(name, major)
                ? Finding.blocker(ID, "Extension " + name + " no longer exists in PostgreSQL " + major,
                        name + " was removed from PostgreSQL in version " + ExtensionPackages.REMOVED.get(name)
                                + "; green's schema restore cannot create it, nor the objects that depend on it.",
                        objects, "drop it on blue in each database listed, after checking that nothing uses it:"
                                + " DROP EXTENSION " + io.pgmigrate.pg.SqlIdentifiers.quote(name) + ";")
                : Finding.blocker(ID, "Extension " + name + " is not installed for PostgreSQL " + major
                                + " on green's host",
                        "There is no " + name + ".control in " + t.shareDir() + "/extension: green's schema restore"
                                + " fails at CREATE EXTENSION " + name + " and at every object that uses it.",
                        objects, ExtensionPackages.packageHint(name, major))));
        return out;
    }
}
