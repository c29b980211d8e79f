package io.pgmigrate.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs test programs as the postgres OS user (PostgreSQL refuses root). When the tests themselves
 * run as another non-root user, programs run as that user.
 */
public final class OsUser {
    public static final String POSTGRES = "postgres";
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private OsUser() {
    }

    public static boolean isRoot() {
        return ROOT;
    }

    /** The OS user the test clusters run as. */
    public static String clusterOwner() {
        return ROOT ? POSTGRES : System.getProperty("user.name");
    }

    public record Result(int exitCode, String output) {
    }

    /** Runs argv as the cluster owner, stdout+stderr merged; fails the test on a non-zero exit unless allowed. */
    public static Result runAsOwner(List<String> argv, boolean allowFailure) {
        List<String> full = new ArrayList<>();
        if (ROOT) {
            full.addAll(List.of("runuser", "-u", POSTGRES, "--"));
        }
        full.addAll(argv);
        return run(full, allowFailure);
    }

    public static Result run(List<String> argv, boolean allowFailure) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + argv);
            }
            if (p.exitValue() != 0 && !allowFailure) {
                throw new IllegalStateException("failed (" + p.exitValue() + "): " + argv + "\n" + out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + argv, e);
        }
    }

    /** Makes a directory (and everything in it) owned by the cluster owner. */
    public static void chownToOwner(Path dir) {
        if (ROOT) {
            run(List.of("chown", "-R", POSTGRES + ":", dir.toString()), false);
        }
    }
}
