package io.pgmigrate.plan;

import java.util.List;

/**
 * One result of a pre-check: what is wrong, the exact objects that cause it and the fix.
 *
 * @param check   the stable id of the check that produced it
 * @param objects offending objects, each as a DBA writes it: {@code db: schema.table.column},
 *                {@code prepared transaction 'gid' in db}, …
 */
public record Finding(String check, Severity severity, String title, String detail, List<String> objects,
                      String fix) {
    public Finding {
        objects = List.copyOf(objects);
    }

    public static Finding blocker(String check, String title, String detail, List<String> objects, String fix) {
        return new Finding(check, Severity.BLOCKER, title, detail, objects, fix);
    }

    public static Finding warning(String check, String title, String detail, List<String> objects, String fix) {
        return new Finding(check, Severity.WARNING, title, detail, objects, fix);
    }

    public static Finding info(String check, String title, String detail) {
        return new Finding(check, Severity.INFO, title, detail, List.of(), null);
    }
}
