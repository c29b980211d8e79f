package io.pgmigrate.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Schema equality, database by database: every object of the old cluster's inventory is in the new one
 * with the same definition, owner and privileges, and nothing was added. Differences the server versions
 * explain (see {@link SchemaRules}) are notes, not failures: one note per database and explanation, the
 * explanation given once and then each difference it explains.
 */
final class SchemaCheck {
    private SchemaCheck() {
    }

    static CheckResult compare(List<SchemaInventory> before, List<SchemaInventory> after) {
        List<String> failures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int objects = 0;
        int explained = 0;
        for (SchemaInventory b : before) {
            SchemaInventory a = after.stream().filter(x -> x.database().equals(b.database())).findFirst().orElse(null);
            if (a == null) {
                failures.add("database " + b.database() + " is missing (" + b.objects().size() + " objects before)");
                continue;
            }
            objects += b.objects().size();
            SchemaComparison c = SchemaDiff.compare(b, a);
            c.unexpected().forEach(d -> failures.add("db " + b.database() + ": " + d.describe()));
            explained += c.expected().size();
            c.expected().stream().collect(Collectors.groupingBy(SchemaDifference::explanation, LinkedHashMap::new,
                    Collectors.mapping(SchemaDifference::fact, Collectors.toList())))
                    .forEach((why, facts) -> notes.add("db " + b.database() + ", expected — " + why + ": "
                            + String.join("; ", facts)));
        }
        after.stream().filter(a -> before.stream().noneMatch(b -> b.database().equals(a.database())))
                .forEach(a -> failures.add("database " + a.database() + " is new"));
        String summary = objects + " objects in " + before.size() + " database(s): "
                + (failures.isEmpty() ? "all there, same definitions" : failures.size() + " differ")
                + (explained == 0 ? "" : ", " + explained + " expected differences explained");
        return CheckResult.of("schema", summary, failures, List.of(), notes);
    }
}
