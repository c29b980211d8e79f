package io.pgmigrate.core;

/** The process exit codes of pgmigrate. Stable once released: scripts depend on them (brief §9). */
public enum ExitCode {
    SUCCESS(0, "success"),
    INTERNAL_ERROR(1, "internal error"),
    BAD_INPUT(2, "bad input (inventory, arguments, plan file)"),
    BLOCKERS(3, "pre-check blockers"),
    STEP_FAILED(4, "a step failed"),
    VERIFICATION_FAILED(5, "verification failed"),
    STALE_PLAN(6, "stale, changed or unapproved plan");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
