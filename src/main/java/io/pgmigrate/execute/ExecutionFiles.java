package io.pgmigrate.execute;

import java.nio.file.Path;

/**
 * Where an execution keeps its state on this machine, beside the plan file: the journal, the lock, the
 * facts it started from, the verification baseline (of the old cluster), the same measurements of the new one
 * ("after") and the verification report (JSON; Markdown beside it).
 */
public record ExecutionFiles(Path journal, Path lock, Path facts, Path baseline, Path after, Path report) {
    public static ExecutionFiles beside(Path planFile, String planName) {
        Path dir = planFile.toAbsolutePath().getParent();
        return new ExecutionFiles(dir.resolve(planName + ".journal.jsonl"), dir.resolve(planName + ".lock"),
                dir.resolve(planName + ".facts.json"), dir.resolve(planName + ".baseline.json"),
                dir.resolve(planName + ".after.json"),
                dir.resolve(planName + ".verify.json"));
    }

    /** The Markdown rendering of the report, for the change ticket. */
    public Path reportMarkdown() {
        return report.resolveSibling(report.getFileName().toString().replace(".json", ".md"));
    }
}
