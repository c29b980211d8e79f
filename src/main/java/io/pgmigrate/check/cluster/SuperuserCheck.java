package io.pgmigrate.check.cluster;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.facts.SourceFacts;

import java.util.ArrayList;
import java.util.List;

/**
 * pgmigrate reads every catalog and pg_upgrade must run as the install user: the role with oid 10, which
 * initdb created, and which the new cluster is initialised with (pg_upgrade refuses any other).
 */
public final class SuperuserCheck implements PreCheck {
    public static final String ID = "superuser";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        SourceFacts s = in.source();
        List<Finding> out = new ArrayList<>();
        String user = in.inventory().source().pg().user();
        if (!s.connectedAsSuperuser()) {
            String fix = s.bootstrapSuperuser() == null
                    ? "set source.pg.user to a superuser, or ALTER ROLE " + Sql.ident(s.connectedUser()) + " SUPERUSER"
                    : "set source.pg.user: " + s.bootstrapSuperuser() + " (the install user), or ALTER ROLE "
                    + Sql.ident(s.connectedUser()) + " SUPERUSER";
            out.add(Finding.blocker(ID, "source.pg.user " + user + " is not a superuser",
                    "pgmigrate connected as role " + s.connectedUser() + ", which is not a superuser: it cannot read "
                            + "every catalog the pre-checks need (they were skipped), nor stop writes, run pg_upgrade "
                            + "or verify the result.",
                    List.of("role " + s.connectedUser()), fix));
        }
        if (s.bootstrapSuperuser() != null && in.inventory().strategy() == Strategy.LOGICAL) {
            out.add(Finding.info(ID, "Green is initialised with the install user " + s.bootstrapSuperuser(),
                    "initdb -U " + s.bootstrapSuperuser() + ", as blue's role with oid 10; the other roles come from"
                            + " blue with pg_dumpall --globals-only. source.pg.user (" + user + ") runs the dumps, the"
                            + " subscriptions and the comparisons on both clusters."));
        } else if (s.bootstrapSuperuser() != null) {
            String detail = "pg_upgrade must connect as the install user (role oid 10) of the old cluster, and the "
                    + "new cluster is initialised with the same name (initdb -U " + s.bootstrapSuperuser()
                    + "); the plan runs pg_upgrade -U " + s.bootstrapSuperuser() + ".";
            if (!s.bootstrapSuperuser().equals(user)) {
                detail += " source.pg.user (" + user + ") is used for everything else. pg_upgrade connects as "
                        + s.bootstrapSuperuser() + " over a Unix socket: pg_hba.conf must let it in (peer or trust "
                        + "for local connections) or ~/.pgpass of the OS user running pg_upgrade must hold its password.";
            }
            out.add(Finding.info(ID, "pg_upgrade will run as " + s.bootstrapSuperuser(), detail));
        }
        return out;
    }
}
