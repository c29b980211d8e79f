package io.pgmigrate.app;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.plan.Plan;

import java.nio.file.Path;

/**
 * {@code execute --expect-digest sha256:…}: the digest printed in the plan the DBA reviewed and approved. The plan's
 * own digest only proves that nobody changed it without recomputing the digest (an accidental edit, a truncated copy);
 * whoever can write the plan file can also write a new digest into it. Comparing with the approved digest, given on
 * the command line from the review, refuses every plan but the approved one.
 */
final class ApprovedDigest {
    private ApprovedDigest() {
    }

    /** The expected digest in canonical form, or null when none was given; a malformed one is bad input. */
    static String parse(String given) {
        if (given == null) {
            return null;
        }
        String d = given.strip().toLowerCase(java.util.Locale.ROOT);
        if (!d.matches("sha256:[0-9a-f]{64}")) {
            throw PgMigrateException.badInput("--expect-digest " + given + " is not a plan digest: give it as the"
                    + " reviewed NAME.plan.md prints it (sha256: and 64 hexadecimal digits)");
        }
        return d;
    }

    /** Refuses (exit 6) a plan whose digest is not the approved one. */
    static void refuseOther(Path planFile, Plan plan, String expected) {
        if (expected != null && !expected.equals(plan.digest())) {
            throw new PgMigrateException(ExitCode.STALE_PLAN, planFile + " has digest " + plan.digest() + ", not the"
                    + " approved " + expected + " (--expect-digest): this is not the plan that was reviewed; nothing"
                    + " was changed. Execute the reviewed plan, or review this one and approve its digest");
        }
    }
}
