package io.pgmigrate.verify;

import java.util.List;

/**
 * One check of the verification report.
 *
 * @param summary  one line: what was compared and the outcome, with figures
 * @param problems what is wrong, one line per object (the check failed, or warns, because of these)
 * @param notes    expected differences and known gaps, explained
 */
public record CheckResult(String check, Verdict verdict, String summary, List<String> problems, List<String> notes) {
    /** PENDING: not measured on both sides yet (a later step of the execution does it). */
    public enum Verdict { PASSED, WARNING, FAILED, SKIPPED, PENDING }

    public static CheckResult of(String check, String summary, List<String> failures, List<String> warnings,
                                 List<String> notes) {
        Verdict v = !failures.isEmpty() ? Verdict.FAILED : !warnings.isEmpty() ? Verdict.WARNING : Verdict.PASSED;
        List<String> problems = new java.util.ArrayList<>(failures);
        problems.addAll(warnings);
        return new CheckResult(check, v, summary, List.copyOf(problems), List.copyOf(notes));
    }

    /**
     * A failure that cannot be told apart from an expected change (data measured while clients write) as
     * a warning, with the reason in the notes; other verdicts unchanged.
     */
    public CheckResult softened(String why) {
        if (verdict != Verdict.FAILED) {
            return this;
        }
        List<String> more = new java.util.ArrayList<>(notes);
        more.add(why);
        return new CheckResult(check, Verdict.WARNING, summary, problems, List.copyOf(more));
    }

    public static CheckResult skipped(String check, String why) {
        return new CheckResult(check, Verdict.SKIPPED, why, List.of(), List.of());
    }

    public static CheckResult pending(String check, String when) {
        return new CheckResult(check, Verdict.PENDING, "not compared yet: " + when, List.of(), List.of());
    }
}
