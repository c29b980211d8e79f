package io.pgmigrate.journal;

import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.journal.JournalEvent.Checkpoint;
import io.pgmigrate.journal.JournalEvent.Controller;
import io.pgmigrate.journal.JournalEvent.ExecutionStarted;
import io.pgmigrate.journal.JournalEvent.Failure;
import io.pgmigrate.journal.JournalEvent.Recorded;
import io.pgmigrate.journal.JournalEvent.RollbackKind;
import io.pgmigrate.pg.Lsn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalTest {
    private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");
    @TempDir
    Path dir;

    private static ExecutionStarted started(String execution, String digest) {
        return new ExecutionStarted(T, JournalEvent.FORMAT, execution, digest, new Controller("ctl", "dba", 42), null);
    }

    private static JournalEvent.StepStarted begin(String step) {
        return new JournalEvent.StepStarted(T, step, Recorded.NOTHING);
    }

    private static JournalEvent.StepFinished finish(String step) {
        return new JournalEvent.StepFinished(T, step, 10L, "ok", null, false);
    }

    private static JournalEvent.StepFailed fail(String step) {
        return new JournalEvent.StepFailed(T, step, 10L, "broke", Failure.STEP);
    }

    /** One event of every kind, each with its typed fields set. */
    static List<JournalEvent> everyKind() {
        return List.of(started("e1", "sha256:aa"),
                new JournalEvent.StepStarted(T, "outage.start-new", new Recorded(new Checkpoint("shut down",
                        Lsn.parse("0/1A2B3C8")), 1_764_000_000L, "\"-D\" \"/data\" \"-p\" \"5433\"")),
                new JournalEvent.StepFinished(T, "cutover.wal-position", 3L, "WAL insert position 0/3000060",
                        Lsn.parse("0/3000060"), false),
                new JournalEvent.StepFailed(T, "post.verify", 8L, "difference", Failure.VERIFICATION_AT_FROZEN_POINT),
                new JournalEvent.StepOverdue(T, "outage.pg-upgrade", 1_900_000L),
                new JournalEvent.StepUndone(T, "cutover.freeze"),
                new JournalEvent.PointOfNoReturnCrossed(T, "outage.start-new", "postmaster.pid exists"),
                new JournalEvent.RollbackStarted(T, RollbackKind.OLD_CLUSTER, "outage.pg-upgrade", "it failed"),
                new JournalEvent.RollbackFinished(T, RollbackKind.OLD_CLUSTER, "started the old cluster"),
                new JournalEvent.RollbackFailed(T, RollbackKind.TEARDOWN, null, "green did not stop"),
                new JournalEvent.ExecutionFinished(T, "done"),
                new JournalEvent.ExecutionFailed(T, "x", "why"),
                new JournalEvent.CleanupFinished(T, "deleted"));
    }

    @Test
    void everyEventKindIsCoveredAndSurvivesTheFileWithItsTypedFields() {
        Set<Class<?>> kinds = everyKind().stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(kinds).containsExactlyInAnyOrder(JournalEvent.class.getPermittedSubclasses());
        Path file = dir.resolve("x.journal.jsonl");
        try (Journal j = Journal.open(file)) {
            everyKind().forEach(j::append);
        }
        assertThat(Journal.read(file)).isEqualTo(everyKind());
    }

    @Test
    void aTornLastLineIsIgnoredAndTheStateSaysWhatIsDoneAndWhatWasInterrupted() throws Exception {
        Path file = dir.resolve("x.journal.jsonl");
        try (Journal j = Journal.open(file)) {
            j.append(started("e1", "sha256:aa"));
            j.append(begin("a"));
            j.append(finish("a"));
            j.append(begin("b"));
        }
        Files.writeString(file, "{\"event\":\"step-fin", StandardOpenOption.APPEND); // a crash while it was written
        JournalState s = Journal.state(file);
        assertThat(s.finished()).containsExactly("a");
        assertThat(s.interrupted()).isEqualTo("b");
        assertThat(s.ended()).isFalse();
        assertThat(s.execution()).isEqualTo("e1");
        assertThat(s.planDigest()).isEqualTo("sha256:aa");
        assertThat(s.open()).isTrue();
    }

    @Test
    void anUndoneStepCountsAsNeverRunWhileTheOthersStayDone() {
        JournalState s = JournalState.of(List.of(started("e1", "d"), begin("a"), finish("a"), begin("b"), finish("b"),
                begin("c"), new JournalEvent.StepUndone(T, "b"), new JournalEvent.StepUndone(T, "c")));
        assertThat(s.finished()).containsExactly("a");
        assertThat(s.began()).containsExactly("a");
        assertThat(s.interrupted()).isNull();
    }

    @Test
    void aRolledBackExecutionIsClosedAndTheNextExecutionStartsWithNothingDone() {
        List<JournalEvent> events = new ArrayList<>(List.of(started("e1", "d1"), begin("a"), finish("a"), begin("b"),
                fail("b"), new JournalEvent.RollbackStarted(T, RollbackKind.OLD_CLUSTER, "b", "b failed"),
                new JournalEvent.RollbackFinished(T, RollbackKind.OLD_CLUSTER, "back")));
        JournalState first = JournalState.of(events);
        assertThat(first.closed()).isTrue();
        assertThat(first.open()).isFalse();
        assertThat(first.rolledBack()).isTrue();
        assertThat(first.rollbackCause()).isEqualTo("b failed");
        assertThat(first.lastFailed()).isEqualTo("b");

        events.add(started("e2", "d2"));
        events.add(begin("a"));
        JournalState second = JournalState.of(events);
        assertThat(second.execution()).isEqualTo("e2");
        assertThat(second.planDigest()).isEqualTo("d2");
        assertThat(second.finished()).isEmpty();
        assertThat(second.lastFailed()).isNull();
        assertThat(second.rolledBack()).isFalse();
        assertThat(second.interrupted()).isEqualTo("a");
    }

    @Test
    void aResumedRunBelongsToTheSameExecution() {
        JournalState s = JournalState.of(List.of(started("e1", "d"), begin("a"), finish("a"), begin("b"),
                started("e1", "d"), begin("b"), finish("b")));
        assertThat(s.finished()).containsExactly("a", "b");
        assertThat(s.entries()).isEqualTo(7);
    }

    @Test
    void onceCrossedAlwaysCrossedAndTheFirstCrossingIsKept() {
        JournalState s = JournalState.of(List.of(started("e1", "d"), begin("outage.start-new"),
                new JournalEvent.PointOfNoReturnCrossed(T, "outage.start-new", "postmaster.pid exists"),
                fail("outage.start-new"), started("e1", "d"), begin("outage.start-new"),
                new JournalEvent.PointOfNoReturnCrossed(T, "outage.start-new", "again"), fail("outage.start-new")));
        assertThat(s.crossed().why()).isEqualTo("postmaster.pid exists");
        assertThat(s.lastFailed()).isEqualTo("outage.start-new");
    }

    @Test
    void recordedStateAndWalPositionsAreReadFromTypedFields() {
        Recorded r = new Recorded(new Checkpoint("shut down", Lsn.parse("0/5000028")), 99L, "\"-p\" \"5433\"");
        JournalState s = JournalState.of(List.of(started("e1", "d"), new JournalEvent.StepStarted(T, "x", r),
                new JournalEvent.StepFinished(T, "p", 1L, "note", Lsn.parse("16/B374D848"), false),
                new JournalEvent.StepFailed(T, "v", 1L, "why", Failure.VERIFICATION_AT_FROZEN_POINT)));
        assertThat(s.recorded("x")).isEqualTo(r);
        assertThat(s.recorded("never")).isEqualTo(Recorded.NOTHING);
        assertThat(s.walPosition("p")).isEqualTo(Lsn.parse("16/B374D848"));
        assertThat(s.failedAtFrozenPoint("v")).isTrue();
        assertThat(s.failedAtFrozenPoint("p")).isFalse();
    }

    @Test
    void aReverseCutoverLeavesTheExecutionOpenForCleanupAndCleanupClosesIt() {
        JournalState reversed = JournalState.of(List.of(started("e1", "d"), begin("a"), finish("a"),
                new JournalEvent.ExecutionFinished(T, null),
                new JournalEvent.RollbackStarted(T, RollbackKind.REVERSE_CUTOVER, null, "pgmigrate rollback"),
                new JournalEvent.RollbackFinished(T, RollbackKind.REVERSE_CUTOVER, "blue")));
        assertThat(reversed.reversed()).isTrue();
        assertThat(reversed.open()).isTrue();
        assertThat(reversed.rolledBack()).isFalse();
        JournalState cleaned = JournalState.of(List.of(started("e1", "d"), new JournalEvent.ExecutionFinished(T, null),
                new JournalEvent.CleanupFinished(T, "gone")));
        assertThat(cleaned.closed()).isTrue();
    }

    @Test
    void anUnfinishedTeardownIsOpen() {
        JournalState s = JournalState.of(List.of(started("e1", "d"), begin("a"), fail("a"),
                new JournalEvent.RollbackStarted(T, RollbackKind.TEARDOWN, "a", "a failed"),
                new JournalEvent.RollbackFailed(T, RollbackKind.TEARDOWN, "a", "green did not stop")));
        assertThat(s.rollbackOpen()).isEqualTo(RollbackKind.TEARDOWN);
        assertThat(s.open()).isTrue();
    }

    @Test
    void aMissingJournalHoldsNoExecution() {
        JournalState s = Journal.state(dir.resolve("none"));
        assertThat(s.any()).isFalse();
        assertThat(s.open()).isFalse();
        assertThat(s.execution()).isNull();
    }

    @Test
    void aJournalOfTheEarlierFormatIsRefusedInOneLine() throws Exception {
        Path file = dir.resolve("old.journal.jsonl");
        Files.writeString(file, "{\"at\":\"2026-11-24T10:00:00Z\",\"event\":\"EXECUTION_STARTED\",\"detail\":\"pid 1\"}\n");
        assertThatThrownBy(() -> Journal.read(file)).isInstanceOf(PgMigrateException.class)
                .hasMessageContaining("journal format 1").hasMessageNotContaining("\n");
    }

    @Test
    void anEditedLineInTheMiddleIsRefusedWithItsLineNumber() throws Exception {
        Path file = dir.resolve("x.journal.jsonl");
        try (Journal j = Journal.open(file)) {
            j.append(started("e1", "d"));
        }
        Files.writeString(file, "not json\n", StandardOpenOption.APPEND);
        try (Journal j = Journal.open(file)) {
            j.append(begin("a"));
        }
        assertThatThrownBy(() -> Journal.read(file)).hasMessageContaining(file + ":2");
    }
}
