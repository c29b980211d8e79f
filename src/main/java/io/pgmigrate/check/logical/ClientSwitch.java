package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;

import java.util.List;

/**
 * Blue/green moves clients to another cluster (another port, often another host): something must point them there.
 * pgbouncer's admin console can pause and resume clients but cannot change where a database points, so the
 * inventory names the command that does ({@code cutover.switchCommand}): rewriting pgbouncer's [databases] entry and
 * RELOAD, a DNS record, a proxy. Without it the cutover cannot complete.
 */
final class ClientSwitch implements PreCheck {
    static final String ID = "logical-client-switch";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        if (in.inventory().cutover() != null && !in.inventory().cutover().switchCommand().isEmpty()) {
            return List.of();
        }
        boolean pgbouncer = in.inventory().cutover() != null && in.inventory().cutover().pgbouncer() != null;
        return List.of(Finding.blocker(ID, "Nothing points clients at green",
                "The cutover freezes writes on blue, brings green level with it and then must move clients to green"
                        + " (and back on a rollback). " + (pgbouncer ? "pgbouncer's admin console pauses and resumes"
                        + " them but cannot change the host and port a database entry points at." : "Without"
                        + " pgbouncer, clients reach blue directly."),
                List.of("inventory: cutover.switchCommand is not set"),
                "set cutover.switchCommand in the inventory to a program that points clients at a cluster; pgmigrate"
                        + " runs it on the machine it runs on with three more arguments, green|blue, the cluster's host"
                        + " and its port (e.g. it rewrites pgbouncer's [databases] entry and sends RELOAD, or updates"
                        + " a DNS record), then plan again"));
    }
}
