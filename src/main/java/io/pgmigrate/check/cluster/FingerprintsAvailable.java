package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.inventory.Inventory.RowCountMode;
import io.pgmigrate.pg.DataFingerprints;
import io.pgmigrate.plan.Finding;

import java.util.List;

/**
 * Data fingerprints (on by default for blue/green, asked for in place) need PostgreSQL 14 on the source: a 13
 * source has neither {@code hash_record_extended} nor TID range scans. The plan then compares the data by row counts
 * only, and says so here rather than failing the verification after clients were switched.
 */
public final class FingerprintsAvailable implements PreCheck {
    public static final String ID = "verify-fingerprints";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        int major = in.source().version().major();
        if (!in.inventory().options().verify().fingerprints() || DataFingerprints.available(major)) {
            return List.of();
        }
        RowCountMode counts = in.inventory().options().verify().rowCounts();
        return List.of(Finding.warning(ID, "No data fingerprints from PostgreSQL " + major
                        + ": the data is compared by row counts only",
                "Data fingerprints hash every row in the server (hash_record_extended, TID range scans), which"
                        + " PostgreSQL " + major + " cannot do; they need " + DataFingerprints.MIN_MAJOR
                        + " or later on both sides. The plan leaves them out of every verification step, so a row"
                        + " whose contents differ but whose count matches is not caught.",
                List.of("options.verify.fingerprints: true (source PostgreSQL " + major + ")"),
                counts == RowCountMode.EXACT
                        ? "nothing to do; set options.verify.fingerprints: false to say so in the inventory"
                        : "keep options.verify.rowCounts: exact (it is " + counts.key() + ") so that at least every"
                        + " row is counted; set options.verify.fingerprints: false to say so in the inventory"));
    }
}
