package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.replication.InitialCopy;
import io.pgmigrate.replication.SyncState;
import io.pgmigrate.replication.TableSync;
import io.pgmigrate.testing.fakes.TickingClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The initial copy's progress as the DBA sees it: a line for the first reading, one when the number of ready tables
 * changes (at most every 2 s), one every 10 s while nothing changes, a last one when every table is ready; the ready
 * tables' size is asked for only when a line is printed.
 */
class CopyProgressTest {
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    private static InitialCopy copy(int ready, int copying, long bytes, int waiting) {
        List<TableSync> tables = new ArrayList<>();
        for (int i = 0; i < ready; i++) {
            tables.add(new TableSync("public", "r" + i, SyncState.READY, null, null));
        }
        for (int i = 0; i < copying; i++) {
            tables.add(new TableSync("public", "c" + i, SyncState.DATA_COPY, bytes, 10L));
        }
        for (int i = 0; i < waiting; i++) {
            tables.add(new TableSync("public", "w" + i, SyncState.INIT, null, null));
        }
        return new InitialCopy("pgmigrate_shop", tables);
    }

    @Test
    void aLineForTheFirstReadingEachChangeAtMostEveryTwoSecondsAndOtherwiseEveryTenSeconds() {
        // every reading of the clock moves it on by 500 ms: one poll
        TickingClock clock = new TickingClock(T0, Duration.ofMillis(500));
        List<String> lines = new ArrayList<>();
        AtomicInteger sizeReads = new AtomicInteger();
        CopyProgress p = new CopyProgress("shop", clock, lines::add);
        java.util.function.LongSupplier size = () -> {
            sizeReads.incrementAndGet();
            return 3L << 20;
        };

        p.reading(copy(1, 1, 1L << 20, 2), size); // t=0: first reading
        assertThat(lines).containsExactly("initial copy of shop: 1 of 4 tables ready, 1 copying, 2 waiting; 4 MiB"
                + " copied (3 MiB in the ready tables as stored on the subscriber, 1 MiB read so far by the running"
                + " copies)");
        p.reading(copy(2, 1, 1L << 20, 1), size); // t=0.5 s: a change, but within 2 s of the last line
        p.reading(copy(3, 1, 1L << 20, 0), size); // t=1 s
        p.reading(copy(3, 1, 1L << 20, 0), size); // t=1.5 s
        assertThat(lines).hasSize(1);
        p.reading(copy(3, 1, 2L << 20, 0), size); // t=2 s: the count differs from the last line's, 2 s passed
        assertThat(lines).hasSize(2).last().asString().startsWith("initial copy of shop: 3 of 4 tables ready, 1 copying;");
        for (int i = 0; i < 19; i++) { // t=2.5 .. 11.5 s: nothing changes, no line
            p.reading(copy(3, 1, 2L << 20, 0), size);
        }
        assertThat(lines).hasSize(2);
        p.reading(copy(3, 1, 5L << 20, 0), size); // t=12 s: 10 s since the last line
        assertThat(lines).hasSize(3).last().asString().contains("8 MiB copied", "5 MiB read so far");
        assertThat(sizeReads).as("the ready tables' size is read only for a line").hasValue(3);

        p.done(copy(4, 0, 0, 0), () -> 9L << 20);
        assertThat(lines).hasSize(4).last().asString().isEqualTo("initial copy of shop: 4 of 4 tables ready; 9 MiB"
                + " copied (9 MiB in the ready tables as stored on the subscriber)");
    }
}
