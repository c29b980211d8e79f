package io.pgmigrate.app;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.TransportOptions;
import io.pgmigrate.transport.Transports;

import java.util.LinkedHashMap;
import java.util.Map;

/** The ways to the inventory's standbys (issue #15): each opened on first use, all closed together. */
final class StandbyRoutes implements AutoCloseable {
    private final TransportOptions transport;
    private final Map<String, ClusterAccess> open = new LinkedHashMap<>();

    StandbyRoutes(TransportOptions transport) {
        this.transport = transport;
    }

    ClusterAccess of(Inventory.Standby standby) {
        return open(standby.name(), standby.host(), standby.pg(), standby.tunnel());
    }

    /** One of green's standbys (blue/green). */
    ClusterAccess of(Inventory.GreenStandby standby) {
        return open(standby.name(), standby.host(), standby.pg(), standby.tunnel());
    }

    private ClusterAccess open(String name, Inventory.Host host, Inventory.PgEndpoint pg, boolean tunnel) {
        return open.computeIfAbsent(name, n -> Transports.clusterAccess(host, pg, tunnel, transport));
    }

    /** The inventory's standby of this name, the source's or green's; null when it lists none so named. */
    ClusterAccess named(Inventory inventory, String name) {
        for (Inventory.Standby s : inventory.standbys()) {
            if (s.name().equals(name)) {
                return of(s);
            }
        }
        for (Inventory.GreenStandby g : inventory.target().standbys()) {
            if (g.name().equals(name)) {
                return of(g);
            }
        }
        return null;
    }

    @Override
    public void close() {
        for (ClusterAccess a : open.values()) {
            try {
                a.close();
            } catch (RuntimeException e) {
                // closing what may already be broken: nothing to do about it
            }
        }
        open.clear();
    }
}
