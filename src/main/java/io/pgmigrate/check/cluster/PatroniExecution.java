package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.facts.PatroniFacts;
import io.pgmigrate.plan.Finding;

import java.util.List;

/**
 * No plan of a cluster under Patroni is ready yet (issue #15): {@code execute} does not drive Patroni, and an upgrade
 * that stops PostgreSQL under a running Patroni has it restarted, or a replica promoted, in the middle of the window
 * (docs/patroni-upgrade-notes.md, pitfalls 1 and 3). This blocker goes once execute pauses, stops and restarts
 * Patroni itself.
 */
public final class PatroniExecution implements PreCheck {
    public static final String ID = "patroni-execution";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        PatroniFacts p = PatroniInput.of(in);
        if (p == null) {
            return List.of();
        }
        return List.of(Finding.blocker(ID, "execute does not drive Patroni yet",
                "The cluster is managed by Patroni (scope " + p.scope() + ", " + p.members().size() + " member(s)):"
                        + " the upgrade must pause Patroni, stop it on every member, update patroni.yml and the DCS"
                        + " (bin_dir, data_dir, the old system identifier, settings the new version does not know)"
                        + " and start it leader first. This version of pgmigrate reads and checks the Patroni cluster"
                        + " but its execute does none of that, so no plan of a Patroni cluster is ready.",
                List.of("Patroni scope " + p.scope()),
                "upgrade by hand following docs/patroni-upgrade-notes.md (the other findings here still apply), or"
                        + " wait for a pgmigrate whose execute drives Patroni; do not remove ha: to get a plan while"
                        + " Patroni manages these servers"));
    }
}
