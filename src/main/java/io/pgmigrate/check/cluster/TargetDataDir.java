package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.facts.HostFacts;

import java.util.ArrayList;
import java.util.List;

/** initdb creates the new cluster in target.dataDir: it must not exist yet, or be empty. */
public final class TargetDataDir implements PreCheck {
    public static final String ID = "target-data-dir";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        HostFacts t = in.target().dataDir();
        HostFacts s = in.source().host();
        List<Finding> out = new ArrayList<>();
        boolean sameAsSource = t.path().equals(s.path()) || (t.realPath() != null && t.realPath().equals(s.realPath()));
        if (sameAsSource) {
            out.add(Finding.blocker(ID, "target.dataDir is the source's data directory",
                    "The new cluster needs its own data directory; pg_upgrade moves or links files into it.",
                    List.of("target.dataDir: " + t.path(), "source.dataDir: " + s.path()),
                    "set target.dataDir to a new directory, e.g. /var/lib/postgresql/" + in.path().targetMajor()
                            + "/main"));
        } else if (t.exists() && !t.empty()) {
            String what = t.pgVersionFile() != null ? "holds a PostgreSQL " + t.pgVersionFile() + " cluster"
                    : "is not empty";
            out.add(Finding.blocker(ID, "target.dataDir " + t.path() + " " + what,
                    "initdb refuses a non-empty directory, and pgmigrate never overwrites one.",
                    List.of("target.dataDir: " + t.path() + (t.pgVersionFile() != null
                            ? " (PG_VERSION " + t.pgVersionFile() + ")" : " (not empty)")),
                    "check what is in " + t.path() + " (a leftover of an earlier attempt?), move it away or remove it, "
                            + "or set target.dataDir to a new directory"));
        }
        return out;
    }
}
