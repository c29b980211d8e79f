package io.pgmigrate.execute;

import java.util.List;

/** What finished steps left in the journal for later ones (a WAL position, say), also across a resumed run. */
final class JournalNotes {
    private JournalNotes() {
    }

    /** The note of the step's last successful run, or null when it has not finished. */
    static String finished(ExecutionContext ctx, String stepId) {
        List<JournalEntry> entries = Journal.read(ctx.files().journal());
        String note = null;
        for (JournalEntry e : entries) {
            if (e.event() == JournalEntry.Event.STEP_FINISHED && stepId.equals(e.step())) {
                note = e.detail();
            }
        }
        return note;
    }
}
