package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.facts.PatroniFacts;
import io.pgmigrate.plan.Finding;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A member waiting for a restart has settings changed that it does not run with yet: the upgrade's restart would
 * apply them unseen, mixed with the new version's changes, and a failure could not be told apart.
 */
public final class PatroniPendingRestart implements PreCheck {
    public static final String ID = "patroni-pending-restart";

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
        Set<String> names = new LinkedHashSet<>();
        p.members().stream().filter(PatroniFacts.Member::pendingRestart).forEach(m -> names.add(m.name()));
        p.endpoints().stream().filter(e -> e.pendingRestart() && e.member() != null).forEach(e -> names.add(e.member()));
        if (names.isEmpty()) {
            return List.of();
        }
        return List.of(Finding.blocker(ID, names.size() + " Patroni member(s) wait for a restart",
                "Settings were changed (patroni.yml or patronictl edit-config) that these members do not run with"
                        + " yet. The upgrade restarts every member: it would apply them unseen, together with the new"
                        + " version, and a server that then fails to start could not be told from an upgrade failure.",
                names.stream().map(n -> "member " + n).toList(),
                "review the pending changes (" + PatroniInput.patronictl(in) + " list shows \"Pending restart\"), then"
                        + " restart them outside the window (" + PatroniInput.patronictl(in) + " restart " + p.scope()
                        + " <member>) or undo the change, and plan again"));
    }
}
