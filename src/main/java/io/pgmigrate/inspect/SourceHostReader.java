package io.pgmigrate.inspect;

import io.pgmigrate.facts.HostFacts;

import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.facts.SourceFacts.TablespaceFacts;
import io.pgmigrate.inventory.Inventory.SourceCluster;
import io.pgmigrate.pg.ControlData;
import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.TransportException;

import java.util.List;

/**
 * Reads the source host: the inventory's binaries and data directory, pg_controldata, and where the
 * tablespaces live. Read-only. An inventory that does not point at a PostgreSQL installation and data
 * directory is bad input (exit 2).
 */
final class SourceHostReader {
    record SourceHost(PgVersion binariesVersion, ControlData controlData, HostFacts dataDir,
                      String serverDataDirRealPath, List<TablespaceFacts> tablespaces, HostFacts walDir,
                      List<String> haManagers) {
    }

    /** The process names of the HA managers pgmigrate knows to look for. */
    static final List<String> HA_MANAGERS = List.of("patroni", "pg_autoctl", "repmgrd");

    private final HostCommands host;
    private final SourceCluster source;

    SourceHostReader(HostCommands host, SourceCluster source) {
        this.host = host;
        this.source = source;
    }

    /**
     * @param walDir whether to read the WAL directory's file system too (for the logical strategy's WAL
     *               headroom; the in-place path does not need it, so it runs no extra command there)
     */
    SourceHost read(SqlFacts sql, boolean walDir) {
        String binDir = source.binDir().toString();
        PgVersion binaries = Versions.ofProgram(host, "source.binDir", binDir, "postgres");
        String dataDir = source.dataDir().toString();
        requireDataDirectory(dataDir, sql.dataDirectory());
        HostFacts facts = new HostFactsReader(host).read(dataDir);
        String out = host.pgProgram("source.binDir", binDir, "pg_controldata", "-D", dataDir);
        ControlData control;
        try {
            control = ControlData.parse(out);
        } catch (IllegalArgumentException e) {
            throw new TransportException("cannot read pg_controldata output for " + dataDir + " on " + host.host()
                    + ": " + e.getMessage());
        }
        return new SourceHost(binaries, control, facts, realPath(sql.dataDirectory()), tablespaces(sql),
                walDir ? new HostFactsReader(host).read(walDir(dataDir, sql.version())) : null, haManagers());
    }

    /**
     * The HA managers running on the host, by their processes' names (a script's process is named after the script:
     * Debian's /usr/bin/patroni runs as {@code patroni}). Unreadable /proc: none seen.
     */
    private List<String> haManagers() {
        CommandResult r = host.run("sh", "-c", "cat /proc/[0-9]*/comm 2>/dev/null; true");
        if (!r.ok()) {
            return List.of();
        }
        java.util.Set<String> running = new java.util.HashSet<>(r.stdout().lines().map(String::strip).toList());
        return HA_MANAGERS.stream().filter(running::contains).toList();
    }

    /**
     * The WAL directory with a trailing slash, so that stat and df follow it when it is a symbolic link to
     * another file system (a common layout: pg_wal on a disk of its own).
     */
    static String walDir(String dataDir, PgVersion version) {
        return dataDir + (PgVersion.scaled(version) >= 1000 ? "/pg_wal/" : "/pg_xlog/");
    }

    private void requireDataDirectory(String dataDir, String serverDataDir) {
        if (host.test("-f", dataDir + "/PG_VERSION", "-a", "-f", dataDir + "/global/pg_control")) {
            return;
        }
        if (host.test("-d", dataDir) && !host.test("-r", dataDir, "-a", "-x", dataDir)) {
            throw PgMigrateException.badInput("source.dataDir " + dataDir + " on " + host.host()
                    + " is not readable by the user pgmigrate runs commands as: set source.become to the OS user "
                    + "that owns it (usually postgres)");
        }
        String hint = serverDataDir == null ? "the server's data_directory (SHOW data_directory)"
                : "the server's data_directory " + serverDataDir;
        throw PgMigrateException.badInput("source.dataDir " + dataDir + " on " + host.host()
                + " is not a PostgreSQL data directory (no PG_VERSION or global/pg_control): set source.dataDir to "
                + hint);
    }

    private String realPath(String path) {
        if (path == null) {
            return null;
        }
        CommandResult r = host.run("realpath", "-e", "--", path);
        return r.ok() ? r.stdout().strip() : null;
    }

    private List<TablespaceFacts> tablespaces(SqlFacts sql) {
        HostFactsReader reader = new HostFactsReader(host);
        return sql.tablespaces().stream().map(t -> t.location() == null || t.location().isEmpty() ? t
                : new TablespaceFacts(t.name(), t.location(), t.sizeBytes(), reader.read(t.location()))).toList();
    }
}
