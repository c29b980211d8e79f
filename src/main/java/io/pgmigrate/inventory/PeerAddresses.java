package io.pgmigrate.inventory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How blue's and green's hosts reach each other (strategy {@code logical}): green's pg_dump and subscriptions connect
 * to blue, blue's reverse subscriptions to green, each from its own host and never through pgmigrate's tunnel. Only
 * the inventory decides it: blue's address is source.pg.host unless that is loopback or a socket (or seen through a
 * tunnel), then the SSH host's address; green's is target.host's address when green has a host of its own.
 */
public final class PeerAddresses {
    private PeerAddresses() {
    }

    /** Whether green has a host of its own (target.host given and not blue's). */
    public static boolean greenElsewhere(Inventory inv) {
        Inventory.Host t = inv.target().host();
        return t != null && !t.address().equals(inv.source().host().address());
    }

    /** Blue's address for clients and for another host; with {@code host: local}, source.pg.host as it is. */
    public static String blue(Inventory inv) {
        String pg = inv.source().pg().host();
        boolean local = pg.startsWith("/") || pg.equals("127.0.0.1") || pg.equals("localhost") || pg.equals("::1");
        return (local || inv.source().tunnel()) && !inv.source().host().isLocal() ? inv.source().host().address() : pg;
    }

    /** Green's address for clients and for blue's host. */
    public static String green(Inventory inv) {
        return greenElsewhere(inv) ? inv.target().host().address() : blue(inv);
    }

    /** The sslmode of connections between blue's and green's hosts: options.replicationSslmode, else source.pg's. */
    public static String replicationSslmode(Inventory inv) {
        String own = inv.options().replicationSslmode();
        return own != null ? own : inv.source().pg().sslmode();
    }

    /**
     * Blue as green's host reaches it over the network, as libpq keywords without a password (green's host has it in
     * the ~/.pgpass of the OS user that connects): blue's address, {@code port} (blue's own, as inspected), the
     * inventory's pg.user, the replication sslmode.
     */
    public static Map<String, String> blueFromGreenHost(Inventory inv, String port, String database) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("host", blue(inv));
        m.put("port", port);
        m.put("user", inv.source().pg().user());
        m.put("dbname", database);
        String sslmode = replicationSslmode(inv);
        if (sslmode != null) {
            m.put("sslmode", sslmode);
        }
        return m;
    }
}
