package io.pgmigrate.verify;

import java.time.Instant;
import java.util.List;

/**
 * The report a DBA signs off: tied to the plan by its digest, one result per check, the measured outage.
 *
 * @param baselineMillis how long measuring the old cluster took (inside the outage during execute)
 * @param verifyMillis   how long measuring the new cluster took
 * @param outage         the write outage as the journal measured it (human-readable), or null when not known
 */
public record VerificationReport(String plan, String planDigest, Instant createdAt, String oldVersion,
                                 String newVersion, Instant baselineTakenAt, long baselineMillis, long verifyMillis,
                                 String outage, List<CheckResult> checks) {

    public VerificationReport withChecks(List<CheckResult> replaced) {
        return new VerificationReport(plan, planDigest, createdAt, oldVersion, newVersion, baselineTakenAt,
                baselineMillis, verifyMillis, outage, List.copyOf(replaced));
    }

    public boolean passed() {
        return checks.stream().noneMatch(c -> c.verdict() == CheckResult.Verdict.FAILED);
    }

    public List<CheckResult> failed() {
        return checks.stream().filter(c -> c.verdict() == CheckResult.Verdict.FAILED).toList();
    }
}
