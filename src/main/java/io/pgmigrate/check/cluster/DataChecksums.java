package io.pgmigrate.check.cluster;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;

import java.util.List;

/**
 * The new cluster's data-checksums setting must match the old one's: pg_upgrade refuses a mismatch, and
 * PostgreSQL 18's initdb enables checksums by default, so the plan initialises it to match.
 */
public final class DataChecksums implements PreCheck {
    public static final String ID = "data-checksums";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        boolean on = in.source().dataChecksums();
        int target = in.path().targetMajor();
        String flag = on ? "--data-checksums" : "--no-data-checksums";
        if (in.inventory().strategy() == io.pgmigrate.plan.Strategy.LOGICAL) {
            return List.of(Finding.info(ID, "Green gets blue's data-checksums setting (" + (on ? "on" : "off") + ")",
                    "Logical replication does not need them to match, but the plan keeps green like blue: initdb "
                            + flag + "." + (on ? "" : " To get checksums on green later, stop it and run"
                            + " pg_checksums --enable -D <target.dataDir> (it rewrites every data file).")));
        }
        if (on) {
            return List.of(Finding.info(ID, "Data checksums are on in the source; the new cluster gets them too",
                    "pg_upgrade refuses clusters whose data-checksums settings differ; the plan runs initdb "
                            + flag + " for the new PostgreSQL " + target + " cluster."));
        }
        String why = target >= 18
                ? "PostgreSQL " + target + "'s initdb enables data checksums by default and pg_upgrade refuses a "
                + "mismatch, so the plan runs initdb --no-data-checksums for the new cluster."
                : "pg_upgrade refuses a mismatch, so the plan initialises the new cluster without checksums too.";
        return List.of(Finding.info(ID, "Data checksums are off in the source; the new cluster will match (off)",
                why + " To get checksums, enable them afterwards as a separate maintenance: stop the new cluster and "
                        + "run pg_checksums --enable -D <target.dataDir> (it rewrites every data file, plan the "
                        + "downtime; on a primary with standbys, do it standby by standby with switchovers)."));
    }
}
