package io.pgmigrate.check.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SQL statements that fix a finding, grouped by the database they must run in, rendered after a
 * sentence that says what they do. Duplicates are dropped; order of first appearance is kept.
 */
public final class FixScript {
    /** Key for statements that can run in any database (ALTER DATABASE, ALTER ROLE, …). */
    public static final String ANY_DATABASE = "";

    private final Map<String, Set<String>> statements = new LinkedHashMap<>();

    /** Fixes the position of a database's block before its statements come (blocks keep this order). */
    public void declare(String database) {
        statements.computeIfAbsent(database, k -> new LinkedHashSet<>());
    }

    public void add(String database, String statement) {
        statements.computeIfAbsent(database, k -> new LinkedHashSet<>()).add(statement);
    }

    public boolean isEmpty() {
        return statements.values().stream().allMatch(Set::isEmpty);
    }

    /** The lead sentence, then the statements; each database's block starts with a comment naming it. */
    public String render(String lead) {
        List<String> lines = new ArrayList<>();
        lines.add(lead);
        for (Map.Entry<String, Set<String>> e : statements.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            if (!e.getKey().equals(ANY_DATABASE)) {
                lines.add("-- in database " + Names.ident(e.getKey()) + ":");
            }
            lines.addAll(e.getValue());
        }
        return String.join("\n", lines);
    }
}
