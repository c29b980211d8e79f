package io.pgmigrate.verify;

/**
 * A table whose data is fingerprinted: a regular table or a leaf partition (a partitioned parent has
 * no storage of its own; its leaves are listed with the root in {@code partitionOf}).
 *
 * @param unlogged       an unlogged table: hashed like any other on a primary (the caller labels it;
 *                       on a standby it is empty)
 * @param partitionOf    the partition tree's root, null for a table that is not a partition
 * @param pages          the heap's size in blocks when listed (decides how it is sliced)
 * @param estimatedRows  the planner's estimate (reltuples), -1 when never analysed
 */
public record HashTarget(TableRef table, boolean unlogged, TableRef partitionOf, long pages, long estimatedRows) {
}
