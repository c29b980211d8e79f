package io.pgmigrate.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the toolchain script put PostgreSQL 15/18, sshd and pgbouncer: from the environment
 * (PGMIGRATE_PG15_BIN, …) or the script's env file ($PGMIGRATE_CACHE/toolchain.env).
 */
public final class Toolchain {
    private static final Map<String, String> FILE = readEnvFile();

    private Toolchain() {
    }

    private static Map<String, String> readEnvFile() {
        String cache = System.getenv().getOrDefault("PGMIGRATE_CACHE", "/var/cache/pgmigrate");
        Path file = Path.of(cache, "toolchain.env");
        Map<String, String> map = new HashMap<>();
        if (Files.isRegularFile(file)) {
            try {
                for (String line : Files.readAllLines(file)) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        map.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }
        return map;
    }

    private static String get(String key, String fallback) {
        String v = System.getenv(key);
        if (v != null && !v.isBlank()) {
            return v;
        }
        return FILE.getOrDefault(key, fallback);
    }

    public static Path binDir(int major) {
        Path dir = Path.of(get("PGMIGRATE_PG" + major + "_BIN", "/usr/lib/postgresql/" + major + "/bin"));
        if (!Files.isExecutable(dir.resolve("postgres"))) {
            throw new IllegalStateException("PostgreSQL " + major + " binaries not found in " + dir
                    + ": run scripts/toolchain.sh first");
        }
        return dir;
    }

    public static Path sshd() {
        return Path.of(get("PGMIGRATE_SSHD", "/usr/sbin/sshd"));
    }

    public static Path pgbouncer() {
        return Path.of(get("PGMIGRATE_PGBOUNCER", "/usr/sbin/pgbouncer"));
    }
}
