package io.pgmigrate.verify;

import io.pgmigrate.verify.RowCounter.RowCount;
import io.pgmigrate.verify.SmokeQueries.SmokeResult;

import java.time.Instant;
import java.util.List;

/**
 * What the verification measured on one cluster at one moment: the baseline of the old cluster while it
 * stands still, or the same measurements of the new one. Stored as JSON beside the journal.
 *
 * @param rowCounts  empty when row counts are off
 * @param statistics one per database; empty when the statistics check is off
 * @param schemas    the object inventory of each database
 * @param millis     how long measuring took
 */
public record ClusterSnapshot(Instant takenAt, long millis, String serverVersion, List<RowCount> rowCounts,
                              List<PlannerStatistics> statistics, List<SmokeResult> smokeQueries,
                              List<SchemaInventory> schemas) {
}
