package io.pgmigrate.verify;

import java.util.List;

/**
 * The schema of one database compared before and after: how many objects each side has and every
 * difference, expected ones included (with their explanation). It passes when no difference is
 * unexpected.
 */
public record SchemaComparison(String database, int serverVersionBefore, int serverVersionAfter,
        int objectsBefore, int objectsAfter, List<SchemaDifference> differences) {
    public SchemaComparison {
        differences = differences == null ? List.of() : List.copyOf(differences);
    }

    /** True when every difference is expected. */
    public boolean passed() {
        return differences.stream().allMatch(SchemaDifference::expected);
    }

    public List<SchemaDifference> unexpected() {
        return differences.stream().filter(d -> !d.expected()).toList();
    }

    public List<SchemaDifference> expected() {
        return differences.stream().filter(SchemaDifference::expected).toList();
    }
}
