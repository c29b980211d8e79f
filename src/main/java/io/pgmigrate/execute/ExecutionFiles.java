package io.pgmigrate.execute;

import io.pgmigrate.verify.ClusterSnapshot;
import io.pgmigrate.verify.Reports;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an execution keeps its state on this machine, beside the plan file: the journal, the lock, the
 * facts it started from, the verification baseline of the old cluster (its data, taken inside the outage,
 * and its schema, taken just before it, in a file of its own so that the outage never reads or rewrites
 * it), the same measurements of the new one ("after") and the verification report (JSON; Markdown beside it).
 */
public record ExecutionFiles(Path journal, Path lock, Path facts, Path baseline, Path schemaBaseline, Path after,
                             Path report) {
    public static ExecutionFiles beside(Path planFile, String planName) {
        Path dir = planFile.toAbsolutePath().getParent();
        return new ExecutionFiles(dir.resolve(planName + ".journal.jsonl"), dir.resolve(planName + ".lock"),
                dir.resolve(planName + ".facts.json"), dir.resolve(planName + ".baseline.json"),
                dir.resolve(planName + ".baseline-schema.json"), dir.resolve(planName + ".after.json"),
                dir.resolve(planName + ".verify.json"));
    }

    /** The Markdown rendering of the report, for the change ticket. */
    public Path reportMarkdown() {
        return report.resolveSibling(report.getFileName().toString().replace(".json", ".md"));
    }

    /**
     * The old cluster as the baseline steps measured it: the data baseline with the schema baseline put in
     * when there is one (of the same server version).
     */
    public ClusterSnapshot readBaseline() {
        ClusterSnapshot data = Reports.readBaseline(baseline);
        if (!Files.exists(schemaBaseline)) {
            return data;
        }
        ClusterSnapshot schema = Reports.readBaseline(schemaBaseline);
        return schema.serverVersion().equals(data.serverVersion()) ? schema.with(data) : data;
    }
}
