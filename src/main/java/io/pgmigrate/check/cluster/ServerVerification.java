package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.TargetEndpoint;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL connections that cross a network with an sslmode that does not verify the server (disable, allow,
 * prefer, require): whoever sits on that network can pose as the server, read what pgmigrate sends (the password, when
 * the role has one; the data a subscription copies) and answer in its place. Connections over a Unix socket or to a
 * loopback address, and an SSH tunnel to loopback on the database host, do not cross one.
 */
public final class ServerVerification implements PreCheck {
    public static final String ID = "server-not-verified";
    static final Set<String> VERIFYING = Set.of("verify-ca", "verify-full");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        Inventory inv = in.inventory();
        List<Finding> out = new ArrayList<>();
        List<String> own = new ArrayList<>();
        Inventory.PgEndpoint pg = inv.source().pg();
        if (crossesNetwork(pg.host()) && !VERIFYING.contains(pg.sslmode())) {
            own.add("source.pg: " + pg.host() + ":" + pg.port() + (inv.source().tunnel() ? " (from the SSH host)" : "")
                    + ", sslmode " + pg.sslmode());
        }
        if (inv.strategy() == Strategy.LOGICAL && elsewhere(inv)) {
            TargetEndpoint green = TargetEndpoint.of(inv);
            if (crossesNetwork(green.pg().host()) && !VERIFYING.contains(green.pg().sslmode())) {
                own.add("green: " + green.pg().host() + ":" + green.pg().port() + ", sslmode " + green.pg().sslmode()
                        + " (source.pg.sslmode)");
            }
        }
        if (!own.isEmpty()) {
            out.add(Finding.warning(ID, "pgmigrate's connections to PostgreSQL do not verify the server",
                    "These connections cross a network, and their sslmode accepts any server (or no encryption):"
                            + " someone on the path can pose as PostgreSQL, read the password and the data and answer"
                            + " in its place.",
                    own, "set source.pg.sslmode: verify-full with the servers' CA certificate in"
                            + " ~/.postgresql/root.crt of the user running pgmigrate, or reach PostgreSQL over a Unix"
                            + " socket or through source.tunnel to 127.0.0.1 on the database host"));
        }
        if (inv.strategy() == Strategy.LOGICAL && elsewhere(inv)) {
            String mode = inv.options().replicationSslmode() != null ? inv.options().replicationSslmode()
                    : pg.sslmode();
            if (!VERIFYING.contains(mode)) {
                String from = inv.options().replicationSslmode() != null ? "options.replicationSslmode"
                        : "source.pg.sslmode";
                out.add(Finding.warning(ID, "Replication between blue's and green's hosts does not verify the server",
                        "Green subscribes to blue, and blue to green after the cutover, over the network with this"
                                + " sslmode (and green's pg_dump reads blue's schema so): someone on the path can pose"
                                + " as either cluster, read every row replicated and change what is written.",
                        List.of("subscriptions and pg_dump between " + inv.source().host().address() + " and "
                                + inv.target().host().address() + ": sslmode " + mode + " (" + from + ")"),
                        "set options.replicationSslmode: verify-full and put the CA certificate of both servers in"
                                + " ~/.postgresql/root.crt of the postgres OS user on both hosts"));
            }
        }
        return out;
    }

    private static boolean elsewhere(Inventory inv) {
        Inventory.Host t = inv.target().host();
        return t != null && !t.address().equals(inv.source().host().address());
    }

    /** Whether a connection to this host leaves the machine: not a socket directory, not a loopback address. */
    static boolean crossesNetwork(String host) {
        return !(host.startsWith("/") || host.startsWith("@") || host.equals("localhost") || host.equals("::1")
                || host.startsWith("127."));
    }
}
