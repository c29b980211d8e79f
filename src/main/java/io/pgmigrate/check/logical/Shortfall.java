package io.pgmigrate.check.logical;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A setting of one side that is lower than replication needs.
 *
 * @param side   blue or green
 * @param source where the value comes from ("running", "PostgreSQL 18's default", …)
 * @param why    how the need is counted
 */
record Shortfall(String side, String setting, int has, String source, int needs, String why) {
    /** Adds a shortfall to the list when the value is lower than needed. */
    static void check(List<Shortfall> out, String side, String setting, int has, String source, int needs,
                      String why) {
        if (has < needs) {
            out.add(new Shortfall(side, setting, has, source, needs, why));
        }
    }

    /** How it reads in a finding's objects. */
    String object() {
        return side + ": " + setting + " = " + has + " (" + source + "), needs " + needs + " (" + why + ")";
    }

    static List<String> objects(List<Shortfall> all) {
        return all.stream().map(Shortfall::object).toList();
    }

    /** ALTER SYSTEM statements that raise every setting to what it needs (the highest need when listed twice). */
    static String alterSystem(List<Shortfall> all) {
        return all.stream().collect(Collectors.toMap(Shortfall::setting, Shortfall::needs, Math::max,
                        LinkedHashMap::new)).entrySet().stream()
                .map(e -> "ALTER SYSTEM SET " + e.getKey() + " = " + e.getValue() + ";")
                .collect(Collectors.joining(" "));
    }

    /** {@code name = value} lines for a configuration file. */
    static String settingsLines(List<Shortfall> all) {
        return all.stream().collect(Collectors.toMap(Shortfall::setting, Shortfall::needs, Math::max,
                        LinkedHashMap::new)).entrySet().stream()
                .map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining(", "));
    }
}
