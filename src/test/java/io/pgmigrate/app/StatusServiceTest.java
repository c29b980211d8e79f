package io.pgmigrate.app;

import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.plan.PlanJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pgmigrate status} reads the last word of the journal: an execution that completed and was then rolled back
 * with {@code rollback --discard-new-writes} (--copy/--clone) is rolled back, the old cluster serving, not "executed
 * completely".
 */
class StatusServiceTest {
    @TempDir
    Path dir;

    @Test
    void aCompletedExecutionRolledBackAfterwardsIsRolledBack() throws Exception {
        Path plan = Files.copy(Path.of("plans/examples/orders-prod.plan.json"), dir.resolve("orders-prod.plan.json"));
        String digest = PlanJson.readVerified(plan).digest();
        Instant t = Instant.parse("2026-12-07T10:00:00Z");
        Journal journal = Journal.open(dir.resolve("orders-prod.journal.jsonl"));
        journal.append(new JournalEvent.ExecutionStarted(t, 2, "e1", digest,
                new JournalEvent.Controller("controller", "dba", 1), null));
        journal.append(new JournalEvent.ExecutionFinished(t.plusSeconds(60), "done"));
        assertThat(StatusService.report(plan).headline()).startsWith("orders-prod: executed completely");

        journal.append(new JournalEvent.RollbackStarted(t.plusSeconds(120), JournalEvent.RollbackKind.OLD_CLUSTER,
                null, "rollback --discard-new-writes"));
        journal.append(new JournalEvent.RollbackFinished(t.plusSeconds(130), JournalEvent.RollbackKind.OLD_CLUSTER,
                "the new cluster's writes were discarded"));
        assertThat(StatusService.report(plan).headline())
                .startsWith("orders-prod: rolled back (pgmigrate rollback): the old cluster serves");
    }
}
