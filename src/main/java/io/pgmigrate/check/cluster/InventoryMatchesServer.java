package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.facts.HostFacts;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.facts.TargetFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.pg.PgVersion;

import java.util.ArrayList;
import java.util.List;

/**
 * The inventory describes the server it connects to: same data directory, binaries and versions. A plan
 * made from a wrong inventory would stop, upgrade or delete the wrong thing.
 */
public final class InventoryMatchesServer implements PreCheck {
    public static final String ID = "inventory-matches-server";
    /** pg_upgrade of PostgreSQL 18 upgrades from 9.2 on. */
    static final int OLDEST_SOURCE = 902;

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
        target(inv, s, in.target(), out);
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

    private static void target(Inventory inv, SourceFacts s, TargetFacts t, List<Finding> out) {
        int wanted = inv.target().version();
        List<String> wrong = new ArrayList<>();
        check(wrong, "postgres", t.binariesVersion(), wanted);
        check(wrong, "pg_upgrade", t.pgUpgradeVersion(), wanted);
        check(wrong, "initdb", t.initdbVersion(), wanted);
        if (!wrong.isEmpty()) {
            out.add(Finding.blocker(ID, "target.binDir does not hold PostgreSQL " + wanted + " binaries",
                    "target.version is " + wanted + " but the programs in " + t.binDir() + " report other versions.",
                    wrong, "set target.binDir to the bin directory of PostgreSQL " + wanted
                            + " (Debian: /usr/lib/postgresql/" + wanted + "/bin), or target.version to the version "
                            + "those binaries are"));
        }
        int source = PgVersion.scaled(s.version());
        if (PgVersion.scaled(wanted) <= source) {
            out.add(Finding.blocker(ID, "target.version " + wanted + " is not newer than the source ("
                            + PgVersion.majorLabel(s.version()) + ")",
                    "pg_upgrade only upgrades to a newer major version; a downgrade needs a dump and restore.",
                    List.of("target.version: " + wanted, "server: PostgreSQL " + s.version()),
                    "set target.version to a major version newer than " + PgVersion.majorLabel(s.version())));
        }
        if (source < OLDEST_SOURCE) {
            out.add(Finding.blocker(ID, "PostgreSQL " + PgVersion.majorLabel(s.version())
                            + " is too old for pg_upgrade " + wanted,
                    "pg_upgrade upgrades from PostgreSQL 9.2 and later only.",
                    List.of("server: PostgreSQL " + s.version()),
                    "upgrade to an intermediate version first (e.g. 9.6 with its own pg_upgrade), or use dump and "
                            + "restore"));
        }
    }

    private static void check(List<String> wrong, String program, PgVersion v, int wanted) {
        if (v != null && v.major() != wanted) {
            wrong.add(program + " --version: " + v + " (expected " + wanted + ")");
        }
    }
}
