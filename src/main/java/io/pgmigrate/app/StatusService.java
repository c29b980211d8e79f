package io.pgmigrate.app;

import io.pgmigrate.journal.JournalEvent;

import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalState;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.execute.ExecutionFiles;
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
    public static Duration measuredOutage(Plan plan, List<JournalEvent> entries) {
        return MeasuredOutage.whole(plan, entries);
    }

    public static Report report(Path planFile) {
        Plan plan = PlanJson.readVerified(planFile);
        Path journal = ExecutionFiles.beside(planFile, plan.name()).journal();
        JournalState state = Journal.state(journal);
        List<JournalEvent> entries = state.events();
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
        } else if (!plan.digest().equals(state.planDigest())) {
            headline = "the journal " + journal + " holds execution " + state.execution() + " of another plan (digest "
                    + state.planDigest() + "; this one is " + plan.digest() + ")" + (state.open() ? ", underway"
                    : ", over") + "; the steps below are this plan's and show nothing of it";
            lines.replaceAll(l -> String.format("%-12s %s", "-", l.substring(13)));
        } else if (state.cleanedUp()) {
            headline = "executed completely and cleaned up";
        } else if (state.rolledBack()) {
            // before "executed completely": rollback --discard-new-writes goes back after the execution completed
            headline = "rolled back (" + state.rollbackCause() + "): the old cluster serves";
        } else if (state.ended()) {
            headline = "executed completely";
        } else if (state.reversed()) {
            headline = "rolled back by the reverse cutover: clients work on blue";
        } else if (state.crossed() != null && state.lastFailed() != null) {
            headline = "stopped after " + state.lastFailed() + " failed, past the point of no return (crossed at "
                    + state.crossed().step() + "): never go back to the old cluster; repair the cause and run execute"
                    + " again with --retry-step " + state.lastFailed();
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
            if (MeasuredOutage.untilHighlyAvailable(plan, entries) != null) {
                headline += "; " + MeasuredOutage.GREEN_HA;
            }
        } else if (outage != null) {
            headline += "; measured write outage " + PlanMarkdown.human(outage) + " (planned "
                    + PlanMarkdown.human(plan.estimates().outage()) + ")";
            Duration ha = MeasuredOutage.untilHighlyAvailable(plan, entries);
            if (ha != null) {
                headline += "; highly available again after " + PlanMarkdown.human(ha);
            }
        }
        String last = entries.isEmpty() ? "" : " (execution " + state.execution() + ", last entry "
                + entries.get(entries.size() - 1).at() + ")";
        return new Report(plan.name() + ": " + headline + last, lines, outage);
    }
}
