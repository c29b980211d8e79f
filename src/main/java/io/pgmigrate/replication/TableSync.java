package io.pgmigrate.replication;

/**
 * One table of a subscription: its state and, while its rows are copied, how far the copy got as
 * {@code pg_stat_progress_copy} on the subscriber says (null when no copy of it runs right now).
 */
public record TableSync(String schema, String table, SyncState state, Long bytesCopied, Long rowsCopied) {
}
