package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.facts.PatroniFacts;
import io.pgmigrate.plan.Finding;

import java.util.List;
import java.util.Optional;

/**
 * The in-place upgrade runs pg_upgrade on the inventory's source: it must be the member that holds Patroni's leader
 * lock. After a failover or switchover the leader is another host and the plan would upgrade a replica.
 */
public final class PatroniLeader implements PreCheck {
    public static final String ID = "patroni-leader";

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
        String source = in.inventory().source().host().address();
        Optional<PatroniFacts.Member> leader = p.leader();
        Optional<PatroniFacts.Member> onSource = p.members().stream().filter(PatroniFacts.Member::source).findFirst();
        String sourceMember = onSource.map(PatroniFacts.Member::name).orElse("<member on " + source + ">");
        if (leader.isEmpty()) {
            return List.of(Finding.blocker(ID, "No Patroni member holds the leader lock",
                    "Patroni (scope " + p.scope() + ") has no leader now: a failover is under way, or the cluster is"
                            + " paused and its leader's PostgreSQL stopped. The upgrade needs the source (" + source
                            + ") to be the running leader.",
                    p.members().stream().map(PatroniInput::describe).toList(),
                    "bring the cluster back to a running leader on " + source + " (" + PatroniInput.patronictl(in)
                            + " list), then plan again"));
        }
        PatroniFacts.Member l = leader.get();
        if (l.source()) {
            return List.of();
        }
        return List.of(Finding.blocker(ID, "Patroni's leader is " + l.name() + ", not the inventory's source ("
                        + source + ")",
                "pg_upgrade runs on the source, which must be the primary; Patroni's leader lock is held by " + l.name()
                        + " (" + l.host() + ")" + (l.standby() == null ? "" : ", listed as standby " + l.standby())
                        + ". A switchover or failover happened since the inventory was written; the standbys were not"
                        + " read, as they follow another primary.",
                List.of("leader " + PatroniInput.describe(l), "source " + source),
                "switch back (" + PatroniInput.patronictl(in) + " switchover --leader " + l.name() + " --candidate "
                        + sourceMember + "), or make " + l.host() + " the inventory's source and list the other"
                        + " members under standbys:, then plan again"));
    }
}
