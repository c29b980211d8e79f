package io.pgmigrate.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Dumps to compare a cluster before and after an upgrade: taken with PostgreSQL 18's pg_dump or pg_dumpall, so both
 * sides are written alike, without the lines that name versions or change per run ({@code -- Dumped from/by} and
 * psql's restrict and unrestrict meta-commands, whose key is new in every dump).
 */
public final class Dumps {
    private Dumps() {
    }

    /** {@code program} ("pg_dump", "pg_dumpall") of PostgreSQL 18 against 127.0.0.1:port as the superuser, with args. */
    public static String of(String program, int port, String... args) {
        List<String> argv = new ArrayList<>(List.of(Toolchain.binDir(18).resolve(program).toString(), "-h", "127.0.0.1",
                "-p", String.valueOf(port), "-U", PgCluster.SUPERUSER));
        argv.addAll(List.of(args));
        OsUser.Result r = OsUser.runAsOwner(argv, false);
        return comparable(r.output());
    }

    /** A dump's text without the lines that name versions or change per run (a dump taken elsewhere, say on a test host). */
    public static String comparable(String dump) {
        return dump.lines().filter(l -> !l.startsWith("-- Dumped from") && !l.startsWith("-- Dumped by")
                && !l.startsWith("\\restrict") && !l.startsWith("\\unrestrict")).collect(Collectors.joining("\n"));
    }
}
