package io.pgmigrate.check.cluster;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.facts.SourceFacts.DatabaseFacts;
import io.pgmigrate.facts.SourceFacts.ExtensionFacts;
import io.pgmigrate.facts.TargetFacts;
import io.pgmigrate.inventory.Inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every extension installed in a source database must be installable on the target (its control file);
 * the plan updates extensions to the target's default version where an update path exists. For pg_upgrade:
 * the logical strategy restores the schema with CREATE EXTENSION instead ({@code logical-extensions-on-green}).
 */
public final class ExtensionsOnTarget implements PreCheck {
    public static final String ID = "extensions-on-target";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        if (in.inventory().strategy() != Strategy.PG_UPGRADE) {
            return List.of();
        }
        TargetFacts t = in.target();
        int major = in.path().targetMajor();
        Map<String, List<String>> missing = new TreeMap<>();
        Map<String, List<String>> stuck = new TreeMap<>();
        List<String> updates = new ArrayList<>();
        for (DatabaseFacts db : in.source().databases()) {
            for (ExtensionFacts e : db.extensions()) {
                String object = db.name() + ": " + e.name() + " " + e.version() + " (schema " + e.schema() + ")";
                String dflt = t.defaultVersions().get(e.name());
                if (!t.hasExtension(e.name())) {
                    missing.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(object);
                } else if (dflt != null && !dflt.equals(e.version())) {
                    Optional<List<String>> path = ExtensionUpdatePath.find(
                            t.extensionUpdates().getOrDefault(e.name(), List.of()), e.version(), dflt);
                    if (path.isPresent()) {
                        updates.add(db.name() + ": ALTER EXTENSION " + Sql.ident(e.name()) + " UPDATE; -- "
                                + e.version() + " → " + String.join(" → ", path.get()));
                    } else {
                        stuck.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(object + ", target default "
                                + dflt);
                    }
                }
            }
        }
        List<Finding> out = new ArrayList<>();
        missing.forEach((name, objects) -> out.add(missingFinding(name, objects, major, t)));
        stuck.forEach((name, objects) -> out.add(Finding.warning(ID, "Extension " + name
                        + " has no update path to PostgreSQL " + major + "'s version",
                "The target installation has no chain of update scripts from the installed version to its default "
                        + "version; the extension keeps its old version (and old SQL definitions) after the upgrade.",
                objects, "check that the old version works with PostgreSQL " + major + " (the extension's release "
                        + "notes), or install an " + name + " package that ships the update scripts")));
        if (!updates.isEmpty()) {
            out.add(Finding.info(ID, "The plan updates " + updates.size() + " extension(s) after the upgrade",
                    "Run by the plan in the post phase: " + String.join(" | ", updates)));
        }
        return out;
    }

    private static Finding missingFinding(String name, List<String> objects, int major, TargetFacts t) {
        if (ExtensionPackages.removedBy(name, major)) {
            return Finding.blocker(ID, "Extension " + name + " no longer exists in PostgreSQL " + major,
                    name + " was removed from PostgreSQL in version " + ExtensionPackages.REMOVED.get(name)
                            + "; pg_upgrade cannot recreate it in the new cluster.",
                    objects, "drop it before the upgrade in each database listed: DROP EXTENSION " + Sql.ident(name)
                            + "; (check first that nothing uses its functions)");
        }
        return Finding.blocker(ID, "Extension " + name + " is not installed for the target PostgreSQL " + major,
                "There is no " + name + ".control in " + t.shareDir() + "/extension: pg_upgrade fails restoring the "
                        + "schema of the databases that use it.",
                objects, ExtensionPackages.packageHint(name, major));
    }
}
