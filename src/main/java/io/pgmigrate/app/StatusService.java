package io.pgmigrate.app;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.execute.ExecutionFiles;
import io.pgmigrate.execute.Journal;
import io.pgmigrate.execute.JournalEntry;
import io.pgmigrate.execute.JournalState;
import io.pgmigrate.execute.MeasuredOutage;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.PlanMarkdown;
import io.pgmigrate.plan.Step;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code pgmigrate status}: where an execution of a plan stands, read from its journal alone. */
public final class StatusService {
    private StatusService() {
    }

    public record Report(String headline, List<String> steps, Duration outage) {
    }

    /** The in-place write outage as the journal recorded it ({@link MeasuredOutage#whole}). */
    public static Duration measuredOutage(Plan plan, List<JournalEntry> entries) {
        return MeasuredOutage.whole(plan, entries);
    }

    public static Report report(Path planFile) {
        Plan plan = PlanJson.readVerified(planFile);
        Path journal = ExecutionFiles.beside(planFile, plan.name()).journal();
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
            headline = "rolled back (" + state.rollbackCause() + "): the old cluster serves";
        } else if (state.interrupted() != null) {
            headline = "interrupted during " + state.interrupted() + ": run execute again to resume";
        } else if (state.lastFailed() != null) {
            headline = "stopped after " + state.lastFailed() + " failed: see the journal " + journal;
        } else {
            headline = "underway or stopped between steps: run execute again to resume";
        }
        boolean logical = plan.strategy() == Strategy.LOGICAL;
        Duration outage = logical ? null : measuredOutage(plan, entries);
        if (logical) {
            java.util.Map<String, Duration> outages = MeasuredOutage.byPhase(plan, entries);
            if (!outages.isEmpty()) {
                headline += "; measured write outage " + outages.entrySet().stream().map(e -> e.getKey() + " "
                        + PlanMarkdown.human(e.getValue())).collect(java.util.stream.Collectors.joining(", "))
                        + " (planned " + PlanMarkdown.human(plan.estimates().outage()) + " in all)";
                outage = outages.get("cutover");
            }
        } else if (outage != null) {
            headline += "; measured write outage " + PlanMarkdown.human(outage) + " (planned "
                    + PlanMarkdown.human(plan.estimates().outage()) + ")";
        }
        String last = entries.isEmpty() ? "" : " (last entry " + entries.get(entries.size() - 1).at() + ")";
        return new Report(plan.name() + ": " + headline + last, lines, outage);
    }
}
