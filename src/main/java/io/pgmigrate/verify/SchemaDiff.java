package io.pgmigrate.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Compares two inventories of one database (pure): objects are matched by kind and name, then compared
 * attribute by attribute. Each difference is checked against {@link SchemaRules} for the two server
 * versions, which marks the ones a version change explains.
 */
public final class SchemaDiff {
    private SchemaDiff() {
    }

    public static SchemaComparison compare(SchemaInventory before, SchemaInventory after) {
        Map<String, SchemaObject> old = index(before);
        Map<String, SchemaObject> now = index(after);
        TreeSet<SchemaObject> keys = new TreeSet<>();
        keys.addAll(old.values());
        keys.addAll(now.values());
        List<SchemaDifference> differences = new ArrayList<>();
        SchemaRules rules = new SchemaRules(before.major(), after.major());
        for (SchemaObject key : keys) {
            SchemaObject b = old.get(key(key));
            SchemaObject a = now.get(key(key));
            if (a == null) {
                differences.add(rules.judge(new SchemaDifference(before.database(), b.kind(), b.name(),
                        SchemaDifference.Change.MISSING, null, summary(b), null, false, null)));
            } else if (b == null) {
                differences.add(rules.judge(new SchemaDifference(before.database(), a.kind(), a.name(),
                        SchemaDifference.Change.ADDED, null, null, summary(a), false, null)));
            } else {
                TreeSet<String> attributes = new TreeSet<>(b.attributes().keySet());
                attributes.addAll(a.attributes().keySet());
                for (String attribute : attributes) {
                    String was = b.attribute(attribute);
                    String is = a.attribute(attribute);
                    if (!Objects.equals(was, is)) {
                        differences.add(rules.judge(new SchemaDifference(before.database(), b.kind(), b.name(),
                                SchemaDifference.Change.CHANGED, attribute, was, is, false, null)));
                    }
                }
            }
        }
        return new SchemaComparison(before.database(), before.serverVersionNum(), after.serverVersionNum(),
                before.objects().size(), after.objects().size(), differences);
    }

    private static Map<String, SchemaObject> index(SchemaInventory inventory) {
        Map<String, SchemaObject> map = new LinkedHashMap<>();
        for (SchemaObject o : inventory.objects()) {
            map.put(key(o), o);
        }
        return map;
    }

    private static String key(SchemaObject o) {
        return o.kind() + " " + o.name();
    }

    /** What a missing or new object was: its definition, else its type, else its kind. */
    private static String summary(SchemaObject o) {
        for (String attribute : List.of("definition", "type", "version", "kind")) {
            if (o.attribute(attribute) != null) {
                return o.attribute(attribute);
            }
        }
        return null;
    }
}
