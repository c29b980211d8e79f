package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.facts.RehearsalFacts;

import java.util.List;

/**
 * The schema rehearsal's verdict: every object the target refused to restore is a blocker, because
 * pg_upgrade would stop on it mid-run, inside the outage.
 */
public final class SchemaRehearsalCheck implements PreCheck {
    public static final String ID = "schema-rehearsal";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        RehearsalFacts r = in.facts().rehearsal();
        int target = in.path().targetMajor();
        if (r == null) {
            return List.of(Finding.warning(ID, "Schema rehearsal not run (--no-rehearsal)",
                    "pg_upgrade --check does not restore the schema; only a rehearsal finds what PostgreSQL " + target
                            + " cannot recreate before pg_upgrade stops on it inside the outage.",
                    List.of(), "run plan without --no-rehearsal before the window (execute --dry-run runs it too)"));
        }
        if (!r.ran()) {
            return List.of(Finding.warning(ID, "Schema rehearsal could not run", r.note(), List.of(),
                    "fix the cause and run plan again; until then the plan has not proven that the schema restores"));
        }
        if (r.errors().isEmpty()) {
            return List.of(Finding.info(ID, "Schema rehearsal passed",
                    "Roles and the schema of " + r.databases().size() + " database(s) (" + String.join(", ", r.databases())
                            + ") were dumped with the target's pg_dump and restored into a scratch PostgreSQL "
                            + target + " cluster without an error."));
        }
        List<String> objects = r.errors().stream()
                .map(e -> e.database() + ": " + e.object() + ": " + e.error()).toList();
        return List.of(Finding.blocker(ID, r.errors().size() + " object(s) cannot be restored in PostgreSQL " + target,
                "The schema rehearsal restored the source's schema into a scratch PostgreSQL " + target
                        + " cluster; pg_upgrade restores it the same way mid-run and would stop on these objects.",
                objects, "change or drop each object on the source (or install what the target lacks) and run plan again"));
    }
}
