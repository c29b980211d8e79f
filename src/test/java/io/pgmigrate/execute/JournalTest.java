package io.pgmigrate.execute;

import io.pgmigrate.execute.JournalEntry.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class JournalTest {
    @TempDir
    Path dir;

    private static JournalEntry e(Event event, String step) {
        return new JournalEntry(Instant.parse("2026-11-24T10:00:00Z"), event, step, null, null, null);
    }

    @Test
    void entriesSurviveAndTheStateSaysWhatIsDoneAndWhatWasInterrupted() throws Exception {
        Path file = dir.resolve("x.journal.jsonl");
        try (Journal j = Journal.open(file)) {
            j.append(e(Event.EXECUTION_STARTED, null));
            j.append(e(Event.STEP_STARTED, "a"));
            j.append(new JournalEntry(Instant.parse("2026-11-24T10:00:01Z"), Event.STEP_FINISHED, "a", 0, 1200L, "ok"));
            j.append(e(Event.STEP_STARTED, "b"));
        }
        // a crash while the next line was written
        Files.writeString(file, "{\"at\":\"2026-11-24T10:00:02Z\",\"ev", StandardOpenOption.APPEND);
        JournalState s = JournalState.of(Journal.read(file));
        assertThat(s.finished()).containsExactly("a");
        assertThat(s.interrupted()).isEqualTo("b");
        assertThat(s.ended()).isFalse();
        assertThat(Journal.read(file).get(2).millis()).isEqualTo(1200L);
    }

    @Test
    void anUndoneStepCountsAsNeverRunWhileTheOthersStayDone() {
        JournalState s = JournalState.of(java.util.List.of(e(Event.STEP_STARTED, "a"), e(Event.STEP_FINISHED, "a"),
                e(Event.STEP_STARTED, "b"), e(Event.STEP_FINISHED, "b"), e(Event.STEP_STARTED, "c"),
                e(Event.STEP_UNDONE, "b"), e(Event.STEP_UNDONE, "c")));
        assertThat(s.finished()).containsExactly("a");
        assertThat(s.began()).containsExactly("a");
        assertThat(s.interrupted()).isNull();
    }

    @Test
    void afterARollbackNothingCountsAsDone() {
        JournalState s = JournalState.of(java.util.List.of(e(Event.STEP_STARTED, "a"), e(Event.STEP_FINISHED, "a"),
                e(Event.STEP_STARTED, "b"), e(Event.STEP_FAILED, "b"), e(Event.ROLLBACK_STARTED, null),
                e(Event.ROLLBACK_FINISHED, null)));
        assertThat(s.finished()).isEmpty();
        assertThat(s.began()).isEmpty();
        assertThat(s.rolledBack()).isTrue();
        assertThat(s.lastFailed()).isEqualTo("b");
    }

    @Test
    void theStateSaysWhichStepsBeganAndWhatLedToARollback() {
        JournalState underway = JournalState.of(java.util.List.of(e(Event.STEP_STARTED, "a"), e(Event.STEP_FINISHED, "a"),
                e(Event.STEP_STARTED, "b")));
        assertThat(underway.began()).containsExactlyInAnyOrder("a", "b");
        assertThat(underway.began("b")).isTrue();
        assertThat(underway.isFinished("b")).isFalse();
        assertThat(underway.rollbackCause()).isNull();

        JournalState failed = JournalState.of(java.util.List.of(e(Event.STEP_STARTED, "b"), e(Event.STEP_FAILED, "b"),
                e(Event.ROLLBACK_STARTED, "b"), e(Event.ROLLBACK_FINISHED, null)));
        assertThat(failed.rollbackCause()).isEqualTo("b failed");
        JournalState byHand = JournalState.of(java.util.List.of(e(Event.STEP_STARTED, "b"),
                e(Event.ROLLBACK_STARTED, null), e(Event.ROLLBACK_FINISHED, null)));
        assertThat(byHand.rollbackCause()).isEqualTo("pgmigrate rollback");
    }

    @Test
    void aMissingJournalIsAFreshExecution() {
        assertThat(Journal.read(dir.resolve("none"))).isEmpty();
    }
}
