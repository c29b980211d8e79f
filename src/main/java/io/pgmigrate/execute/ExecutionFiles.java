package io.pgmigrate.execute;

import java.nio.file.Path;

/**
 * Where an execution keeps its state on this machine, beside the plan file: the journal, the lock, the
 * facts it started from and the verification baseline.
 */
public record ExecutionFiles(Path journal, Path lock, Path facts, Path baseline) {
    public static ExecutionFiles beside(Path planFile, String planName) {
        Path dir = planFile.toAbsolutePath().getParent();
        return new ExecutionFiles(dir.resolve(planName + ".journal.jsonl"), dir.resolve(planName + ".lock"),
                dir.resolve(planName + ".facts.json"), dir.resolve(planName + ".baseline.json"));
    }
}
