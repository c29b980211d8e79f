package io.pgmigrate.testing;

import io.pgmigrate.journal.JournalEvent;

import java.util.function.Predicate;

/** Predicates over journal events, for tests that wait for or look for one. */
public final class Events {
    private Events() {
    }

    public static Predicate<JournalEvent> started(String step) {
        return e -> e instanceof JournalEvent.StepStarted && step.equals(e.step());
    }

    public static Predicate<JournalEvent> finished(String step) {
        return e -> e instanceof JournalEvent.StepFinished && step.equals(e.step());
    }

    public static Predicate<JournalEvent> failed(String step) {
        return e -> e instanceof JournalEvent.StepFailed && step.equals(e.step());
    }

    public static Predicate<JournalEvent> undone(String step) {
        return e -> e instanceof JournalEvent.StepUndone && step.equals(e.step());
    }
}
