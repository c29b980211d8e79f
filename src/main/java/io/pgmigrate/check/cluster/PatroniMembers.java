package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.facts.PatroniFacts;
import io.pgmigrate.plan.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every member of the Patroni cluster must be the source's host or a standby the inventory lists, and have its REST
 * API under {@code ha.patroni.rest}: the upgrade stops Patroni on every member, and a member it does not know would
 * keep its Patroni running, take the leader lock when the source stops, or be left on the old version.
 */
public final class PatroniMembers implements PreCheck {
    public static final String ID = "patroni-members";

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
        List<Finding> out = new ArrayList<>();
        List<String> unlisted = p.members().stream().filter(m -> !m.listed()).map(PatroniInput::describe).toList();
        if (!unlisted.isEmpty()) {
            out.add(Finding.blocker(ID, unlisted.size() + " Patroni member(s) are neither the source nor a listed"
                            + " standby",
                    "The members of the Patroni cluster are the source's host and the standbys' hosts. A member on"
                            + " another host would be left on the old version with its Patroni running: it could take"
                            + " the leader lock while the source is stopped, and could not follow the new primary.",
                    unlisted, "list each under standbys: (host, dataDir, target.dataDir; see docs/inventory.md), with"
                            + " rebuild: false for one you rebuild yourself; or remove it from the Patroni cluster"));
        }
        Set<String> answered = p.endpoints().stream().map(PatroniFacts.Endpoint::member)
                .filter(java.util.Objects::nonNull).collect(Collectors.toSet());
        List<String> noRest = p.members().stream().filter(m -> !answered.contains(m.name()))
                .map(m -> m.name() + " (" + m.apiUrl() + ")").toList();
        if (!noRest.isEmpty()) {
            out.add(Finding.blocker(ID, noRest.size() + " Patroni member(s) have no REST API under ha.patroni.rest",
                    "The upgrade pauses Patroni and waits on every member's REST API until it says so; pgmigrate asks"
                            + " only the endpoints the inventory lists (a listed one whose member cannot be told is"
                            + " not counted).",
                    noRest, "add each member's host:port (its restapi.connect_address) to ha.patroni.rest"));
        }
        return out;
    }
}
