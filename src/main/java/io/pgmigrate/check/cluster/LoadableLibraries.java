package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.Finding;
import io.pgmigrate.check.PreCheck;

import java.util.List;

/**
 * Libraries that C functions in the source reference must exist in the target's pkglibdir: pg_upgrade
 * loads each in the new cluster and stops when one is missing.
 */
public final class LoadableLibraries implements PreCheck {
    public static final String ID = "loadable-libraries";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        List<String> libs = in.target().libraries();
        List<String> missing = in.source().loadableLibraries().stream()
                .filter(l -> !Libraries.outsideLibdir(l) && !Libraries.present(l, libs))
                .map(l -> "library " + l + " (referenced by C functions in the source)").toList();
        if (missing.isEmpty()) {
            return List.of();
        }
        int major = in.path().targetMajor();
        return List.of(Finding.blocker(ID, missing.size() + " library(ies) used by C functions missing from the "
                        + "target PostgreSQL " + major,
                "pg_upgrade checks that the new installation can load every library the old cluster's C functions "
                        + "reference; they are not in " + in.target().pkgLibDir() + ".",
                missing, "install the PostgreSQL " + major + " build of each library (the extension's package), or "
                        + "drop the functions or extensions that use it"));
    }
}
