package io.pgmigrate.demo;

import io.pgmigrate.core.PgMigrateException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The demo's directory and what lives in it: the PostgreSQL 15 data directory ({@code data}), the
 * PostgreSQL 18 one the upgrade creates ({@code data18}), the server log, the inventory, the plans
 * (with journal) and a marker file that says the directory is the demo's own, so that removing it
 * never removes anything else.
 */
public record DemoDir(Path root) {
    public static final String NAME = "demo";
    static final String MARKER = ".pgmigrate-demo";
    /** The server's socket (DIR/.s.PGSQL.PORT) must fit in a Unix socket path of 107 bytes. */
    static final int MAX_LENGTH = 80;
    private static final Pattern PLAIN = Pattern.compile("/[A-Za-z0-9/._-]*");

    public DemoDir {
        root = root.toAbsolutePath().normalize();
    }

    /**
     * The directory given with {@code --dir}, made absolute. Its path goes into postgresql.conf, the
     * inventory and socket paths, so it must be plain and short.
     */
    public static DemoDir of(Path given) {
        DemoDir dir = new DemoDir(given);
        String path = dir.root().toString();
        if (!PLAIN.matcher(path).matches() || path.length() > MAX_LENGTH || dir.root().getNameCount() == 0) {
            throw PgMigrateException.badInput("--dir " + path + ": the demo directory's path must be at most "
                    + MAX_LENGTH + " characters of letters, digits and / . _ - (not /); choose another, e.g. /tmp/pgmigrate-demo");
        }
        return dir;
    }

    public Path data() {
        return root.resolve("data");
    }

    public Path data18() {
        return root.resolve("data18");
    }

    public Path serverLog() {
        return root.resolve("server.log");
    }

    public Path inventory() {
        return root.resolve("pgmigrate.yaml");
    }

    public Path plans() {
        return root.resolve("plans");
    }

    public Path planJson() {
        return plans().resolve(NAME + ".plan.json");
    }

    public Path planMarkdown() {
        return plans().resolve(NAME + ".plan.md");
    }

    public Path marker() {
        return root.resolve(MARKER);
    }

    /** Whether the directory holds a demo (it carries the marker). */
    public boolean isDemo() {
        return Files.isRegularFile(marker());
    }

    /** Whether there is nothing at all there, or an empty directory. */
    public boolean isAbsentOrEmpty() {
        if (!Files.exists(root)) {
            return true;
        }
        try (var entries = Files.list(root)) {
            return entries.findAny().isEmpty();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
