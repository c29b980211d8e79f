package io.pgmigrate.check.cluster;

import java.util.ArrayList;
import java.util.List;

/** Names of loadable modules as settings and pg_proc.probin write them, matched against pkglibdir's files. */
final class Libraries {
    private Libraries() {
    }

    /** Splits a library list setting ("pg_stat_statements, \"auto_explain\"") into its entries. */
    static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split(",")) {
            String p = part.strip();
            if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
                p = p.substring(1, p.length() - 1);
            }
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    /** Whether the name is a path outside pkglibdir, which the target's file list cannot tell about. */
    static boolean outsideLibdir(String name) {
        return name.startsWith("/") && !name.startsWith("$libdir");
    }

    /** Whether pkglibdir's file names contain the module ($libdir/name, name or name.so). */
    static boolean present(String name, List<String> pkgLibFiles) {
        String base = name.startsWith("$libdir/") ? name.substring("$libdir/".length()) : name;
        return pkgLibFiles.contains(base) || pkgLibFiles.contains(base + ".so") || pkgLibFiles.contains(base + ".dylib")
                || pkgLibFiles.contains(base + ".dll");
    }
}
