package io.pgmigrate.verify;

import io.pgmigrate.verify.RowCounter.RowCount;
import io.pgmigrate.verify.SmokeQueries.SmokeResult;

import java.time.Instant;
import java.util.List;

/**
 * What the verification measured on one cluster at one moment: the baseline of the old cluster while it
 * stands still, or the same measurements of the new one. Stored as JSON beside the journal.
 *
 * Two parts are measured at different times (see {@link io.pgmigrate.plan.Action.Verify.Scope}): the data
 * (row counts, statistics, smoke queries) while clients wait, the catalog (schemas) around that; a part not
 * measured (yet) is null.
 *
 * @param rowCounts  empty when row counts are off
 * @param statistics one per database; empty when the statistics check is off
 * @param schemas    the object inventory of each database
 * @param fingerprints per-table data hashes (data part), empty when off
 * @param hashSelfTest the server's hashes of fixed values, to trust fingerprints across versions; null when off
 * @param millis     how long measuring took, all parts together
 * @param amcheck    with {@code options.verify.amcheck}: the indexes on collations whose version changed, checked with
 *                   amcheck (data part, the new cluster only); null when not measured
 */
public record ClusterSnapshot(Instant takenAt, long millis, String serverVersion, List<RowCount> rowCounts,
                              List<PlannerStatistics> statistics, List<SmokeResult> smokeQueries,
                              List<SchemaInventory> schemas, List<TableFingerprint> fingerprints,
                              HashSelfTest.Result hashSelfTest, List<IndexAmcheck.Outcome> amcheck) {

    public ClusterSnapshot(Instant takenAt, long millis, String serverVersion, List<RowCount> rowCounts,
                           List<PlannerStatistics> statistics, List<SmokeResult> smokeQueries,
                           List<SchemaInventory> schemas, List<TableFingerprint> fingerprints,
                           HashSelfTest.Result hashSelfTest) {
        this(takenAt, millis, serverVersion, rowCounts, statistics, smokeQueries, schemas, fingerprints, hashSelfTest,
                null);
    }

    /** This snapshot with the parts the newer one measured taken from it. */
    public ClusterSnapshot with(ClusterSnapshot newer) {
        boolean data = newer.rowCounts() != null;
        boolean catalog = newer.schemas() != null;
        return new ClusterSnapshot(newer.takenAt(), millis + newer.millis(), newer.serverVersion(),
                data ? newer.rowCounts() : rowCounts, data ? newer.statistics() : statistics,
                data ? newer.smokeQueries() : smokeQueries, catalog ? newer.schemas() : schemas,
                data ? newer.fingerprints() : fingerprints, data ? newer.hashSelfTest() : hashSelfTest,
                data ? newer.amcheck() : amcheck);
    }
}
