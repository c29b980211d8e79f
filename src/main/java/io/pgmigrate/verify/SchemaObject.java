package io.pgmigrate.verify;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One object of a database's schema, by name and definition, never by OID: its kind, its name as a DBA
 * writes it ({@code public."Order Items"}, {@code orders_pkey on public.orders},
 * {@code public.add(integer, integer)}) and its attributes (owner, acl, definition, type, …) as text,
 * sorted by attribute name. An attribute that is SQL NULL (no default, no comment) is left out.
 */
public record SchemaObject(SchemaKind kind, String name, Map<String, String> attributes)
        implements Comparable<SchemaObject> {
    public SchemaObject {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        TreeMap<String, String> sorted = new TreeMap<>();
        if (attributes != null) {
            attributes.forEach((k, v) -> {
                if (v != null) {
                    sorted.put(k, v);
                }
            });
        }
        attributes = Collections.unmodifiableSortedMap(sorted);
    }

    /** An attribute's value, or null when the object has none. */
    public String attribute(String key) {
        return attributes.get(key);
    }

    /** How a report names it: {@code index public.orders_at_idx}. */
    public String label() {
        return kind.label() + " " + name;
    }

    @Override
    public int compareTo(SchemaObject o) {
        int c = kind.compareTo(o.kind);
        return c != 0 ? c : name.compareTo(o.name);
    }
}
