package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.facts.PatroniFacts;
import io.pgmigrate.inventory.Inventory.ServiceControl;
import io.pgmigrate.plan.Finding;

import java.util.List;

/**
 * What execute needs to drive Patroni (issue #15): Patroni starts and stops PostgreSQL on its members, so pgmigrate
 * stops the old servers itself with pg_ctl once Patroni is stopped (docs/patroni-upgrade-notes.md, step 3); a source
 * whose inventory says pg_ctlcluster or a systemd unit of PostgreSQL would have pgmigrate use a service that does not
 * run this cluster.
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
        List<Finding> out = new java.util.ArrayList<>();
        List<String> leftOut = in.inventory().standbys().stream().filter(s -> !s.rebuild())
                .map(s -> "standbys: " + s.name() + " (rebuild: false)").toList();
        if (!leftOut.isEmpty()) {
            out.add(Finding.blocker(ID, "Every Patroni member must be upgraded with the cluster",
                    "Under Patroni pgmigrate stops Patroni on every member it upgrades; a member's Patroni left running"
                            + " takes part again once the DCS forgets the old cluster, and may race the leader to"
                            + " initialise it with the old system identifier (docs/patroni-upgrade-notes.md, point 9).",
                    leftOut, "list them with rebuild: true (pgmigrate rsyncs or Patroni re-creates them), or remove"
                            + " them from the Patroni cluster before the upgrade"));
        }
        ServiceControl svc = in.inventory().source().service();
        if (svc.kind() == ServiceControl.Kind.PG_CTL) {
            return out;
        }
        out.add(Finding.blocker(ID, "source.service must be pg_ctl under Patroni",
                "Patroni runs PostgreSQL on its members (scope " + p.scope() + "); once execute has paused and"
                        + " stopped Patroni it stops and checks the old servers with pg_ctl. The inventory says "
                        + svc.kind().name().toLowerCase().replace('_', '-') + (svc.unit() == null ? ""
                        : " " + svc.unit()) + ", which is not how this cluster runs.",
                List.of("source.service"), "set source.service: pg_ctl and plan again"));
        return out;
    }
}
