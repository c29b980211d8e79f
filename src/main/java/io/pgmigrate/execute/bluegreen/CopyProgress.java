package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.core.Bytes;
import io.pgmigrate.replication.InitialCopy;
import io.pgmigrate.replication.SyncState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What the wait on an initial copy tells the DBA while it runs: one line per reading that is due, {@code initial copy
 * of shop: 3 of 5 tables ready, 1 copying, 1 waiting; 12 MiB copied (…)}. A line is due for the first reading, when
 * the number of tables ready changed (but not more often than every {@link #MIN_GAP}: thousands of small tables must
 * not flood the console), and otherwise every {@link #PERIOD}, so that a long copy of one large table still shows it
 * moves; and a last one when every table is ready. The bytes are the ready tables' size on the subscriber, read only when a line is printed, plus what the
 * running copies read so far ({@code pg_stat_progress_copy}, from PostgreSQL 14 on the subscriber).
 */
final class CopyProgress {
    static final Duration PERIOD = Duration.ofSeconds(10);
    static final Duration MIN_GAP = Duration.ofSeconds(2);

    private final String database;
    private final Clock clock;
    private final Consumer<String> out;
    private Instant last;
    private long lastReady = -1;

    CopyProgress(String database, Clock clock, Consumer<String> out) {
        this.database = database;
        this.clock = clock;
        this.out = out;
    }

    /** Prints a line for this reading when one is due; {@code readySize} is asked only then. */
    void reading(InitialCopy now, LongSupplier readySize) {
        Instant at = clock.instant();
        long ready = now.countByState().getOrDefault(SyncState.READY, 0L);
        boolean due = last == null
                || !at.isBefore(last.plus(PERIOD))
                || ready != lastReady && !at.isBefore(last.plus(MIN_GAP));
        if (!due) {
            return;
        }
        last = at;
        lastReady = ready;
        out.accept(line(database, now, readySize.getAsLong()));
    }

    /** The last line, once every table is ready: what was copied in all. */
    void done(InitialCopy now, LongSupplier readySize) {
        out.accept(line(database, now, readySize.getAsLong()));
    }

    static String line(String database, InitialCopy now, long readyBytes) {
        long running = now.bytesBeingCopied();
        return "initial copy of " + database + ": " + now.tablesLine() + "; " + Bytes.human(readyBytes + running)
                + " copied (" + Bytes.human(readyBytes) + " in the ready tables as stored on the subscriber"
                + (running > 0 ? ", " + Bytes.human(running) + " read so far by the running copies" : "") + ")";
    }
}
