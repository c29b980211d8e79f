package io.pgmigrate.demo;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL 15 and 18 binaries the demo uses, where {@code scripts/toolchain.sh} put them: its env
 * file ({@code $PGMIGRATE_CACHE/toolchain.env}, by default {@code /var/cache/pgmigrate/toolchain.env}),
 * with {@code PGMIGRATE_PG15_BIN} / {@code PGMIGRATE_PG18_BIN} from the environment taking precedence.
 */
public record DemoToolchain(Path pg15Bin, Path pg18Bin) {
    public static final String DEFAULT_CACHE = "/var/cache/pgmigrate";
    static final List<String> PROGRAMS = List.of("postgres", "initdb", "pg_ctl", "pgbench", "pg_upgrade");

    /** Reads the env file named by the environment (if it exists) and applies the environment's overrides. */
    public static DemoToolchain locate(Map<String, String> env) {
        Path file = envFile(env);
        Map<String, String> values = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            try {
                values.putAll(parse(Files.readString(file)));
            } catch (IOException e) {
                throw missing("cannot read " + file + " (" + e.getMessage() + ")");
            }
        }
        return resolve(values, env, file);
    }

    static Path envFile(Map<String, String> env) {
        String cache = env.getOrDefault("PGMIGRATE_CACHE", "");
        return Path.of(cache.isBlank() ? DEFAULT_CACHE : cache, "toolchain.env");
    }

    /** KEY=VALUE lines as toolchain.sh writes them; blank lines, comments and an {@code export } prefix are allowed. */
    static Map<String, String> parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            values.put(line.substring(0, eq).strip(), value);
        }
        return values;
    }

    /** The environment wins over the file; both bin directories must hold the programs the demo runs. */
    static DemoToolchain resolve(Map<String, String> fromFile, Map<String, String> env, Path file) {
        Path pg15 = binDir("PGMIGRATE_PG15_BIN", fromFile, env, file);
        Path pg18 = binDir("PGMIGRATE_PG18_BIN", fromFile, env, file);
        return new DemoToolchain(pg15, pg18);
    }

    private static Path binDir(String key, Map<String, String> fromFile, Map<String, String> env, Path file) {
        String value = env.get(key);
        String origin = "the environment variable " + key;
        if (value == null || value.isBlank()) {
            value = fromFile.get(key);
            origin = key + " in " + file;
        }
        if (value == null || value.isBlank()) {
            throw missing(Files.isRegularFile(file) ? file + " does not set " + key : "there is no " + file);
        }
        Path dir = Path.of(value);
        if (!dir.isAbsolute()) {
            throw missing(origin + " is not an absolute path: '" + value + "'");
        }
        for (String program : PROGRAMS) {
            if (!Files.isExecutable(dir.resolve(program))) {
                throw missing(origin + " names " + dir + ", which has no " + program);
            }
        }
        return dir;
    }

    private static PgMigrateException missing(String what) {
        return new PgMigrateException(ExitCode.BAD_INPUT, "the demo needs PostgreSQL 15 and 18 from the toolchain, but "
                + what + ": run scripts/toolchain.sh as root first (it installs PostgreSQL 15, builds 18 and writes"
                + " toolchain.env)");
    }
}
