package io.pgmigrate.app;

import io.pgmigrate.execute.Journal;
import io.pgmigrate.execute.JournalEntry;
import io.pgmigrate.execute.JournalState;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.Step;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code pgmigrate status}: where an execution of a plan stands, read from its journal alone. */
public final class StatusService {
    private StatusService() {
    }

    public record Report(String headline, List<String> steps) {
    }

    public static Report report(Path planFile) {
        Plan plan = PlanJson.readVerified(planFile);
        Path journal = planFile.toAbsolutePath().resolveSibling(plan.name() + ".journal.jsonl");
        List<JournalEntry> entries = Journal.read(journal);
        JournalState state = JournalState.of(entries);
        List<String> lines = new ArrayList<>();
        for (Phase phase : plan.phases()) {
            for (Step step : phase.steps()) {
                String mark = state.isFinished(step.id()) ? "done"
                        : step.id().equals(state.interrupted()) ? "INTERRUPTED"
                        : step.id().equals(state.lastFailed()) ? "FAILED" : "-";
                lines.add(String.format("%-12s %-28s %s", mark, step.id(), step.title()));
            }
        }
        String headline;
        if (entries.isEmpty()) {
            headline = "not executed yet (no journal at " + journal + ")";
        } else if (state.ended()) {
            headline = "executed completely";
        } else if (state.rolledBack()) {
            headline = "rolled back after " + state.lastFailed() + " failed: the old cluster serves";
        } else if (state.interrupted() != null) {
            headline = "interrupted during " + state.interrupted() + ": run execute again to resume";
        } else if (state.lastFailed() != null) {
            headline = "stopped after " + state.lastFailed() + " failed: see the journal " + journal;
        } else {
            headline = "underway or stopped between steps: run execute again to resume";
        }
        String last = entries.isEmpty() ? "" : " (last entry " + entries.get(entries.size() - 1).at() + ")";
        return new Report(plan.name() + ": " + headline + last, lines);
    }
}
