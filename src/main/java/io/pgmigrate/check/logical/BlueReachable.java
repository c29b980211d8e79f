package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.PeerAddresses;
import io.pgmigrate.facts.RehearsalFacts;

import java.util.Arrays;
import java.util.List;

/**
 * Green on another host connects to blue itself: its pg_dump and, above all, its subscriptions (made by green's
 * server, never through pgmigrate's tunnel). A blue that listens on loopback addresses only cannot be reached; nor
 * can one whose pg_hba.conf or password green's host fails, which the schema rehearsal, run on green's host, finds.
 */
final class BlueReachable implements PreCheck {
    static final String ID = "logical-blue-reachable";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        Inventory.Host green = in.inventory().target().host();
        if (!PeerAddresses.greenElsewhere(in.inventory())) {
            return List.of();
        }
        Inventory.SourceCluster blue = in.inventory().source();
        if (blue.host().isLocal() && loopbackOnly(blue.pg().host().startsWith("/") ? "localhost" : blue.pg().host())) {
            return List.of(Finding.blocker(ID, "Green cannot know blue's address",
                    "source.host is local and source.pg.host (" + blue.pg().host() + ") is only valid on this"
                            + " machine, but green runs on " + green.address() + " and connects to blue itself.",
                    List.of("inventory: source.host = local, source.pg.host = " + blue.pg().host()),
                    "set source.pg.host to blue's address as other hosts reach it, or source.host to its host name;"
                            + " then plan again"));
        }
        String listen = in.source().settings().getOrDefault("listen_addresses",
                in.source().nonDefaultSettings().getOrDefault("listen_addresses", "localhost"));
        if (!loopbackOnly(listen)) {
            return unreachable(in, blue, green);
        }
        return List.of(Finding.blocker(ID, "Green cannot reach blue: blue listens on loopback addresses only",
                "Green runs on " + green.address() + "; its pg_dump and its subscriptions connect to blue over the"
                        + " network, and blue accepts connections from its own host only.",
                List.of("blue: listen_addresses = '" + listen + "'"),
                "on blue: ALTER SYSTEM SET listen_addresses = '*' (or a list with blue's address), let green's host"
                        + " in through pg_hba.conf, restart blue; then plan again"));
    }

    /** The connection the schema rehearsal tried from green's host to blue, when it failed. */
    private static List<Finding> unreachable(CheckInput in, Inventory.SourceCluster blue, Inventory.Host green) {
        RehearsalFacts rehearsal = in.facts().rehearsal();
        if (rehearsal != null && rehearsal.blueUnreachable() != null) {
            String blueAt = PeerAddresses.blue(in.inventory()) + ":" + in.source().settings().getOrDefault("port",
                    String.valueOf(blue.pg().port()));
            String user = blue.pg().user();
            return List.of(Finding.blocker(ID, "Green's host cannot connect to blue",
                    "From green's host (" + green.address() + "), where the schema rehearsal runs, a connection to"
                            + " blue failed. Green's pg_dump and its subscriptions connect from there the same way.",
                    List.of("from " + green.address() + " to " + blueAt + " as " + user + ": "
                            + rehearsal.blueUnreachable()),
                    "on blue, let green's host in through pg_hba.conf (host all " + user + " "
                            + hbaAddress(green.address()) + " scram-sha-256) and reload; on green's host, give the OS user"
                            + " that runs green's server the password in its ~/.pgpass (mode 0600: " + blueAt
                            + ":*:" + user + ":PASSWORD); then plan again"));
        }
        return List.of();
    }

    /** An address as pg_hba.conf takes it: an IP address with its full mask, a host name as it is. */
    static String hbaAddress(String address) {
        if (address.matches("[0-9.]+")) {
            return address + "/32";
        }
        return address.contains(":") ? address + "/128" : address;
    }

    static boolean loopbackOnly(String listen) {
        return Arrays.stream(listen.split(",")).map(String::strip).allMatch(a -> a.isEmpty()
                || a.equals("localhost") || a.startsWith("127.") || a.equals("::1"));
    }
}
