package io.pgmigrate.testing;

import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;

import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * A failure injected from outside at a chosen moment of an execution: runs an action once, in its own thread, as
 * soon as the execution's journal shows an event, as an operator or another program on the host could.
 */
public final class OnJournalEvent implements AutoCloseable {
    private final Thread watcher;
    private volatile boolean done;
    private volatile boolean stop;

    private OnJournalEvent(Path journal, Predicate<JournalEvent> event, Runnable action) {
        watcher = new Thread(() -> {
            try {
                while (!stop) {
                    if (journal.toFile().exists() && Journal.read(journal).stream().anyMatch(event)) {
                        action.run();
                        done = true;
                        return;
                    }
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "on-journal-event");
        watcher.setDaemon(true);
        watcher.start();
    }

    public static OnJournalEvent when(Path journal, Predicate<JournalEvent> event, Runnable action) {
        return new OnJournalEvent(journal, event, action);
    }

    /** Whether the action ran (the test asserts it: an action that never ran proves nothing). */
    public boolean done() {
        return done;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        watcher.join(5000);
    }
}
