package io.pgmigrate.facts;

import java.util.List;

/**
 * What the schema rehearsal found: the source's roles and the schema of every database, dumped with the
 * target's pg_dump and restored into a scratch cluster of the target version (what pg_upgrade does mid-run,
 * and where it fails on anything the target cannot recreate).
 *
 * @param ran             false when it was skipped or could not be started; {@code note} says why
 * @param databases       the databases whose schema was restored
 * @param errors          every statement the target refused, mapped to its object
 * @param blueUnreachable blue/green with green on a host of its own, where the rehearsal runs: the error with which
 *                        a connection from green's host to blue failed (the rehearsal did not run then); null when it
 *                        connected, or when the rehearsal ran on blue's own host
 */
public record RehearsalFacts(boolean ran, String note, List<String> databases, List<RestoreError> errors,
                             String blueUnreachable) {
    public RehearsalFacts {
        databases = List.copyOf(databases);
        errors = List.copyOf(errors);
    }

    public RehearsalFacts(boolean ran, String note, List<String> databases, List<RestoreError> errors) {
        this(ran, note, databases, errors, null);
    }

    public static RehearsalFacts skipped(String why) {
        return new RehearsalFacts(false, why, List.of(), List.of());
    }

    /** Green's host could not connect to blue: nothing could be dumped from there. */
    public static RehearsalFacts blueUnreachable(String error) {
        return new RehearsalFacts(false, "green's host could not connect to blue: " + error, List.of(), List.of(),
                error);
    }

    /**
     * @param database where it failed ("(roles)" for the global objects)
     * @param object   the object as pg_restore names it, e.g. {@code FUNCTION f(integer)}
     * @param error    the server's error line
     */
    public record RestoreError(String database, String object, String error) {
    }
}
