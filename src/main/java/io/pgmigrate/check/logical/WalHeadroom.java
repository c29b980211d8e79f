package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.core.Bytes;
import io.pgmigrate.facts.HostFacts;
import io.pgmigrate.facts.ProbeRow;

import java.util.ArrayList;
import java.util.List;

/**
 * From the moment a subscription's slot exists until green has caught up, blue keeps every WAL segment written
 * since: the catch-up window. The estimate: the initial copy takes the data size at {@link #COPY_BYTES_PER_SECOND};
 * blue writes WAL meanwhile at its average rate since its statistics were reset ({@code pg_stat_wal}, PostgreSQL
 * 14+), doubled for peaks; without a rate, a quarter of the data size. Compared with the free space of the file
 * system pg_wal lives on (shared with green's data when green is on the same file system).
 */
final class WalHeadroom implements PreCheck {
    static final String ID = "logical-wal-headroom";
    static final long COPY_BYTES_PER_SECOND = 50 * Bytes.MIB;
    static final long MINIMUM = Bytes.GIB;
    static final String RATE_PROBE = ID + ".wal-rate";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        if (!path.sourceAtLeast(14)) {
            return List.of();
        }
        return List.of(new Probe(RATE_PROBE, Probe.Scope.CLUSTER,
                "SELECT wal_bytes::text AS wal_bytes,"
                        + " extract(epoch FROM pg_catalog.now() - stats_reset)::bigint::text AS seconds"
                        + " FROM pg_catalog.pg_stat_wal"));
    }

    /** Blue's average WAL rate in bytes per second, or -1 when unknown. */
    static double walRate(List<ProbeRow> rows) {
        if (rows.isEmpty() || rows.get(0).get("wal_bytes") == null || rows.get(0).get("seconds") == null) {
            return -1;
        }
        long seconds = Long.parseLong(rows.get(0).get("seconds"));
        return seconds <= 0 ? -1 : Double.parseDouble(rows.get(0).get("wal_bytes")) / seconds;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        HostFacts wal = in.source().walDir();
        if (wal == null) {
            return List.of();
        }
        long data = in.source().totalSizeBytes();
        long copySeconds = Math.max(1, data / COPY_BYTES_PER_SECOND);
        double rate = walRate(in.probe(RATE_PROBE));
        List<String> uses = new ArrayList<>();
        long retained;
        if (rate >= 0) {
            retained = Math.max(MINIMUM, (long) (2 * rate * copySeconds));
            uses.add("WAL retained while green catches up: " + Bytes.human(retained) + " (blue writes "
                    + Bytes.human((long) rate) + "/s on average, doubled for peaks, during an initial copy of about "
                    + minutes(copySeconds) + " for " + Bytes.human(data) + " at " + Bytes.human(COPY_BYTES_PER_SECOND)
                    + "/s)");
        } else {
            retained = Math.max(MINIMUM, data / 4);
            uses.add("WAL retained while green catches up: " + Bytes.human(retained) + " (no WAL rate known: a"
                    + " quarter of the data size, " + Bytes.human(data) + ")");
        }
        long need = retained;
        HostFacts green = in.target().dataDir();
        if (green != null && wal.sameFileSystemAs(green)) {
            long copy = data + data / 10;
            need += copy;
            uses.add("green's copy of the data on the same file system (target.dataDir " + green.path() + "): "
                    + Bytes.human(copy));
        }
        String where = "the file system of blue's WAL (" + wal.statPath() + ")";
        if (need <= wal.freeBytes()) {
            // free space and the WAL rate move with every write: a passing check leaves the numbers out, so that
            // two plans of an unchanged cluster stay identical
            return List.of(Finding.info(ID, "Enough free space for blue's WAL during the catch-up",
                    "Estimated from the data size and blue's WAL rate, with room for peaks, on " + where + "."));
        }
        return List.of(Finding.warning(ID, "Blue's WAL may fill its disk during the catch-up: about "
                        + Bytes.human(need) + " needed, " + Bytes.human(wal.freeBytes()) + " free",
                "While a subscription's slot exists, blue keeps every WAL segment green has not confirmed yet; if"
                        + " " + where + " fills, blue stops accepting writes. The estimate is rough (WAL rate and"
                        + " copy speed vary): take it as an order of magnitude.", uses,
                "free at least " + Bytes.human(need - wal.freeBytes()) + " on " + wal.statPath() + " before the plan"
                        + " runs, or copy in a quieter period (less WAL per hour); watch pg_replication_slots"
                        + " during the initial copy, and keep max_slot_wal_keep_size unset (a slot that loses"
                        + " its WAL must be recreated and the copy restarted)"));
    }

    private static String minutes(long seconds) {
        return seconds < 120 ? seconds + " s" : seconds / 60 + " min";
    }
}
