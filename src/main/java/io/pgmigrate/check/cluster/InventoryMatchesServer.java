package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.facts.HostFacts;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.pg.PgVersion;

import java.util.ArrayList;
import java.util.List;

/**
 * The inventory describes the server it connects to: same data directory, configuration file and binaries. A plan
 * made from a wrong inventory would stop, upgrade or delete the wrong thing. (A pair pgmigrate does not upgrade, or
 * target binaries of another version than target.version, never gets this far: inspection refuses them as bad input,
 * see {@code inspect.SupportedPair}.)
 */
public final class InventoryMatchesServer implements PreCheck {
    public static final String ID = "inventory-matches-server";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        List<Finding> out = new ArrayList<>();
        Inventory inv = in.inventory();
        SourceFacts s = in.source();
        dataDirectory(inv, s, out);
        configFile(inv, s, out);
        String major = PgVersion.majorLabel(s.version());
        HostFacts host = s.host();
        if (host.pgVersionFile() != null && !host.pgVersionFile().equals(major)) {
            out.add(Finding.blocker(ID, "source.dataDir holds a PostgreSQL " + host.pgVersionFile()
                            + " cluster, the server runs PostgreSQL " + major,
                    "PG_VERSION in the inventory's source.dataDir does not match the running server's major version.",
                    List.of("source.dataDir: " + host.path() + " (PG_VERSION " + host.pgVersionFile() + ")",
                            "server: PostgreSQL " + s.version()),
                    "set source.dataDir to the running server's data directory" + serverDir(s)));
        }
        String controlId = s.controlData() == null ? null : s.controlData().systemIdentifier();
        if (s.systemIdentifier() != null && controlId != null && !controlId.equals(s.systemIdentifier())) {
            out.add(Finding.blocker(ID, "source.dataDir belongs to another cluster than the server pgmigrate connects to",
                    "pg_controldata of source.dataDir and pg_control_system() of the server report different system "
                            + "identifiers: the inventory's pg endpoint and dataDir describe two different clusters.",
                    List.of("pg_controldata -D " + host.path() + ": system identifier " + controlId,
                            "server at source.pg: system identifier " + s.systemIdentifier()),
                    "make source.pg (host, port) and source.dataDir point at the same cluster" + serverDir(s)));
        }
        binaries(inv, s, out);
        return out;
    }

    private static String serverDir(SourceFacts s) {
        return s.dataDirectory() == null ? "" : " (data_directory = " + s.dataDirectory() + ")";
    }

    private static void dataDirectory(Inventory inv, SourceFacts s, List<Finding> out) {
        if (s.dataDirectory() == null) {
            return; // hidden from a non-superuser: the superuser check reports that
        }
        String inventoryReal = s.host().realPath() != null ? s.host().realPath() : s.host().path();
        String serverReal = s.dataDirectoryRealPath() != null ? s.dataDirectoryRealPath() : s.dataDirectory();
        if (!inventoryReal.equals(serverReal)) {
            out.add(Finding.blocker(ID, "source.dataDir is not the server's data directory",
                    "The inventory's source.dataDir resolves to " + inventoryReal + ", the server's data_directory to "
                            + serverReal + ".",
                    List.of("source.dataDir: " + inv.source().dataDir(), "server data_directory: " + s.dataDirectory()),
                    "set source.dataDir: " + s.dataDirectory()));
        }
    }

    /** source.configFile is optional (Debian keeps postgresql.conf in /etc); when given it must be the server's. */
    private static void configFile(Inventory inv, SourceFacts s, List<Finding> out) {
        if (inv.source().configFile() == null || s.configFile() == null
                || inv.source().configFile().toString().equals(s.configFile())) {
            return;
        }
        out.add(Finding.warning(ID, "source.configFile is not the server's config_file",
                "The plan copies and adapts the configuration from source.configFile; the server reads "
                        + s.configFile() + " (unless source.configFile is a symbolic link to it).",
                List.of("source.configFile: " + inv.source().configFile(), "server config_file: " + s.configFile()),
                "set source.configFile: " + s.configFile()));
    }

    private static void binaries(Inventory inv, SourceFacts s, List<Finding> out) {
        PgVersion bin = s.binariesVersion();
        if (bin != null && bin.major() != s.version().major()) {
            out.add(Finding.blocker(ID, "source.binDir holds PostgreSQL " + PgVersion.majorLabel(bin)
                            + " binaries, the server runs PostgreSQL " + PgVersion.majorLabel(s.version()),
                    "pg_upgrade needs the old cluster's own binaries (-b); " + inv.source().binDir()
                            + "/postgres --version says " + bin + ".",
                    List.of("source.binDir: " + inv.source().binDir() + " (postgres " + bin + ")",
                            "server: PostgreSQL " + s.version()),
                    "set source.binDir to the bin directory of PostgreSQL " + PgVersion.majorLabel(s.version())
                            + " (Debian: /usr/lib/postgresql/" + PgVersion.majorLabel(s.version()) + "/bin)"));
        }
    }
}
