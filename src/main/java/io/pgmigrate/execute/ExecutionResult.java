package io.pgmigrate.execute;

import io.pgmigrate.core.ExitCode;

/** How execute, rollback or cleanup ended: the exit code and one paragraph that says where things stand. */
public record ExecutionResult(ExitCode exitCode, String summary) {
    public static ExecutionResult of(ExitCode code, String summary) {
        return new ExecutionResult(code, summary);
    }
}
