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
                walDir ? new HostFactsReader(host).read(walDir(dataDir, sql.version())) : null,
                haManagers(sql.configFile()));
    }

    /**
     * The HA managers of this cluster. Patroni writes the server's postgresql.conf ("It will be overwritten by
     * Patroni!"; it starts the postmaster detached, so it is not among its ancestors); pg_auto_failover's pg_autoctl
     * supervises the postmaster as its child, so it is found among the postmaster's ancestors (its pid from
     * postmaster.pid, then each parent's name); repmgrd runs beside the server, so any repmgrd on the host counts. A
     * Patroni of another cluster on the same machine (in a container, say) is not this cluster's. Unreadable: none.
     *
     * @param configFile the server's config_file (SHOW config_file), or null
     */
    private List<String> haManagers(String configFile) {
        String config = configFile == null ? "" : configFile;
        CommandResult r = host.run("sh", "-c", ANCESTORS, "pgmigrate-ha", source.dataDir().toString(), config);
        if (!r.ok()) {
            return List.of();
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String line : r.stdout().lines().toList()) {
            String[] f = line.strip().split(" ", 2);
            if (f.length == 2 && (f[0].equals("ancestor") || f[1].equals("repmgrd"))) {
                seen.add(f[1].strip());
            }
        }
        return HA_MANAGERS.stream().filter(seen::contains).toList();
    }

    /**
     * Prints "ancestor NAME" for each ancestor of the postmaster of $1, "ancestor patroni" when Patroni wrote the
     * configuration file $2, and "process repmgrd" when one runs.
     */
    private static final String ANCESTORS = """
            pid=$(head -n 1 "$1/postmaster.pid" 2>/dev/null)
            case "$pid" in ''|*[!0-9]*) pid= ;; esac
            n=0
            while [ -n "$pid" ] && [ "$pid" -gt 1 ] && [ $n -lt 32 ]; do
              pid=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d ' ' -f 2)
              case "$pid" in ''|*[!0-9]*) break ;; esac
              [ "$pid" -gt 1 ] && printf 'ancestor %s\\n' "$(cat "/proc/$pid/comm" 2>/dev/null)"
              n=$((n + 1))
            done
            if [ -n "$2" ] && grep -qs 'overwritten by Patroni' "$2"; then echo 'ancestor patroni'; fi
            if grep -qx repmgrd /proc/[0-9]*/comm 2>/dev/null; then echo 'process repmgrd'; fi
            true
            """;

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
