package io.pgmigrate.app;

import io.pgmigrate.execute.ExecutionFiles;
import io.pgmigrate.execute.Journal;
import io.pgmigrate.execute.JournalEntry;
import io.pgmigrate.execute.JournalState;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.PlanMarkdown;
import io.pgmigrate.plan.Step;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code pgmigrate status}: where an execution of a plan stands, read from its journal alone. */
public final class StatusService {
    private StatusService() {
    }

    public record Report(String headline, List<String> steps, Duration outage) {
    }

    /**
     * The write outage as it happened: from the start of the first step inside it to the end of the last
     * one that finished (null when the execution never entered it).
     */
    public static Duration measuredOutage(Plan plan, List<JournalEntry> entries) {
        Set<String> inOutage = new HashSet<>();
        plan.phases().forEach(p -> p.steps().stream().filter(Step::inOutage).forEach(st -> inOutage.add(st.id())));
        Instant start = null;
        Instant end = null;
        for (JournalEntry e : entries) {
            if (e.step() == null || !inOutage.contains(e.step())) {
                continue;
            }
            if (e.event() == JournalEntry.Event.STEP_STARTED && start == null) {
                start = e.at();
            }
            if (e.event() == JournalEntry.Event.STEP_FINISHED || e.event() == JournalEntry.Event.STEP_FAILED) {
                end = e.at();
            }
        }
        return start == null || end == null ? null : Duration.between(start, end);
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
        Duration outage = measuredOutage(plan, entries);
        if (outage != null) {
            headline += "; measured write outage " + PlanMarkdown.human(outage) + " (planned "
                    + PlanMarkdown.human(plan.estimates().outage()) + ")";
        }
        String last = entries.isEmpty() ? "" : " (last entry " + entries.get(entries.size() - 1).at() + ")";
        return new Report(plan.name() + ": " + headline + last, lines, outage);
    }
}
