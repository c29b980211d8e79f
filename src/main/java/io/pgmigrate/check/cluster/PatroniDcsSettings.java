package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.facts.PatroniFacts;
import io.pgmigrate.pg.SettingChanges;
import io.pgmigrate.plan.Finding;

import java.util.ArrayList;
import java.util.List;

/**
 * Settings in Patroni's dynamic configuration (the DCS, {@code patronictl edit-config}) that the target version no
 * longer knows: Patroni 3.0.2 writes them into the new cluster's postgresql.conf and PostgreSQL refuses to start
 * (docs/patroni-upgrade-notes.md, pitfall 5). patroni.yml's own {@code postgresql.parameters} are edited by execute
 * on each member's host (the same settings removed or renamed), so only the DCS's are a blocker.
 */
public final class PatroniDcsSettings implements PreCheck {
    public static final String ID = "patroni-dcs-settings";

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
        String ctl = PatroniInput.patronictl(in);
        int target = in.path().targetMajor();
        if (p.dcsParameters() == null) {
            return List.of(Finding.warning(ID, "Patroni's dynamic configuration could not be read",
                    "No REST endpoint answered GET /config (" + p.dcsProblem() + "), so its settings were not checked"
                            + " against PostgreSQL " + target + ".",
                    List.of("Patroni scope " + p.scope()), "check " + ctl + " show-config for settings PostgreSQL "
                            + target + " no longer has"));
        }
        int source = in.source().version().major();
        List<String> gone = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        for (String name : p.dcsParameters()) {
            SettingChanges.Change c = SettingChanges.between(name, source, target);
            if (c == null || c.aliased()) {
                continue;
            }
            gone.add(name + (c.replacement() == null ? " (removed in PostgreSQL " + c.removedIn() + ")"
                    : " (renamed to " + c.replacement() + " in PostgreSQL " + c.removedIn() + ")"));
            fixes.add("-s postgresql.parameters." + name + "=null");
        }
        if (gone.isEmpty()) {
            return List.of();
        }
        return List.of(Finding.blocker(ID, gone.size() + " setting(s) in Patroni's dynamic configuration do not exist"
                        + " in PostgreSQL " + target,
                "Patroni writes the DCS's postgresql.parameters into every member's postgresql.conf: PostgreSQL "
                        + target + " refuses a setting it does not know and does not start (Patroni: \"start"
                        + " failed\"). A renamed one must be set under its new name.",
                gone, "remove them: " + ctl + " edit-config --force " + String.join(" ", fixes) + " (set renamed ones"
                        + " under the new name after the upgrade; Patroni 3.0 cannot set settings new since 16, use"
                        + " ALTER SYSTEM then); those under postgresql.parameters of each member's patroni.yml are"
                        + " removed or renamed by execute itself"));
    }
}
