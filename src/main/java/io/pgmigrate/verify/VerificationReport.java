package io.pgmigrate.verify;

import java.time.Instant;
import java.util.List;

/**
 * The report a DBA signs off: tied to the plan by its digest, one result per check, the measured outage.
 *
 * @param baselineMillis how long measuring the old cluster took (inside the outage during execute)
 * @param verifyMillis   how long measuring the new cluster took
 * @param outage         the write outage as the journal measured it (human-readable), or null when not known
 * @param untilHighlyAvailable from the start of the outage until every standby the plan rebuilt streamed with no lag
 *                       (human-readable), as the journal measured it; null without standbys or when not known
 */
public record VerificationReport(String plan, String planDigest, Instant createdAt, String oldVersion,
                                 String newVersion, Instant baselineTakenAt, long baselineMillis, long verifyMillis,
                                 String outage, List<CheckResult> checks, String untilHighlyAvailable) {

    public VerificationReport(String plan, String planDigest, Instant createdAt, String oldVersion,
                              String newVersion, Instant baselineTakenAt, long baselineMillis, long verifyMillis,
                              String outage, List<CheckResult> checks) {
        this(plan, planDigest, createdAt, oldVersion, newVersion, baselineTakenAt, baselineMillis, verifyMillis, outage,
                checks, null);
    }

    public VerificationReport withChecks(List<CheckResult> replaced) {
        return new VerificationReport(plan, planDigest, createdAt, oldVersion, newVersion, baselineTakenAt,
                baselineMillis, verifyMillis, outage, List.copyOf(replaced), untilHighlyAvailable);
    }

    /** This report with the time until the cluster was highly available again. */
    public VerificationReport withUntilHighlyAvailable(String measured) {
        return new VerificationReport(plan, planDigest, createdAt, oldVersion, newVersion, baselineTakenAt,
                baselineMillis, verifyMillis, outage, checks, measured);
    }

    public boolean passed() {
        return checks.stream().noneMatch(c -> c.verdict() == CheckResult.Verdict.FAILED);
    }

    public List<CheckResult> failed() {
        return checks.stream().filter(c -> c.verdict() == CheckResult.Verdict.FAILED).toList();
    }
}
