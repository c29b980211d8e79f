package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.inspect.TargetFacts;

import java.util.ArrayList;
import java.util.List;

/** Features the source uses that the target binaries must be built with (pg_config --configure). */
public final class TargetBuild implements PreCheck {
    public static final String ID = "target-build";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        TargetFacts t = in.target();
        int major = in.path().targetMajor();
        List<Finding> out = new ArrayList<>();
        // ICU is on by default from PostgreSQL 16 (--without-icu turns it off); before, --with-icu turns it on.
        boolean icu = major >= 16 ? !t.builtWith("--without-icu") : t.builtWith("--with-icu");
        List<String> icuDbs = in.source().databases().stream().filter(d -> "icu".equals(d.localeProvider()))
                .map(d -> "database " + d.name() + " (ICU locale " + d.icuLocale() + ")").toList();
        if (!icu && !icuDbs.isEmpty()) {
            out.add(Finding.blocker(ID, "The target PostgreSQL " + major + " is built without ICU",
                    "Databases using the ICU locale provider cannot be created in the new cluster.", icuDbs,
                    "use PostgreSQL " + major + " binaries built with ICU (distribution packages are)"));
        }
        String toast = in.source().settings().get("default_toast_compression");
        if ("lz4".equals(toast) && !t.builtWith("--with-lz4")) {
            out.add(Finding.blocker(ID, "The target PostgreSQL " + major + " is built without LZ4",
                    "The source compresses TOAST data with lz4 (default_toast_compression = lz4); the new "
                            + "cluster cannot read or restore lz4-compressed columns.",
                    List.of("default_toast_compression = lz4"),
                    "use PostgreSQL " + major + " binaries built --with-lz4 (distribution packages are)"));
        }
        return out;
    }
}
