package io.pgmigrate.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a parsed YAML document, with the line it starts on (the key's line for a mapping entry).
 * Jackson's own tree forgets token locations, so {@link YamlTree} builds this one instead: every
 * message about the inventory can then point at a line.
 */
final class YamlNode {
    enum Kind { MAPPING, LIST, SCALAR }

    enum ScalarType { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

    private final Kind kind;
    private final int line;
    private final Map<String, YamlNode> entries;
    private final List<YamlNode> items;
    private final String text;
    private final ScalarType scalarType;

    private YamlNode(Kind kind, int line, Map<String, YamlNode> entries, List<YamlNode> items, String text,
                     ScalarType scalarType) {
        this.kind = kind;
        this.line = line;
        this.entries = entries;
        this.items = items;
        this.text = text;
        this.scalarType = scalarType;
    }

    static YamlNode mapping(int line, LinkedHashMap<String, YamlNode> entries) {
        return new YamlNode(Kind.MAPPING, line, Collections.unmodifiableMap(entries), List.of(), null, null);
    }

    static YamlNode list(int line, List<YamlNode> items) {
        return new YamlNode(Kind.LIST, line, Map.of(), List.copyOf(items), null, null);
    }

    static YamlNode scalar(int line, String text, ScalarType type) {
        return new YamlNode(Kind.SCALAR, line, Map.of(), List.of(), text == null ? "" : text, type);
    }

    /** The same node, placed at another line (a mapping entry reports its key's line). */
    YamlNode atLine(int newLine) {
        return new YamlNode(kind, newLine, entries, items, text, scalarType);
    }

    Kind kind() {
        return kind;
    }

    int line() {
        return line;
    }

    /** Entries of a mapping in document order; empty for other kinds. */
    Map<String, YamlNode> entries() {
        return entries;
    }

    List<YamlNode> items() {
        return items;
    }

    /** The scalar exactly as written (YAML's {@code off} stays "off", {@code 0x1F} stays "0x1F"). */
    String text() {
        return text;
    }

    ScalarType scalarType() {
        return scalarType;
    }

    boolean isMapping() {
        return kind == Kind.MAPPING;
    }

    boolean isList() {
        return kind == Kind.LIST;
    }

    boolean isScalar() {
        return kind == Kind.SCALAR;
    }

    /** {@code key: ~}, {@code key: null} and a bare {@code key:} all mean "no value". */
    boolean isEmptyValue() {
        return kind == Kind.SCALAR && (scalarType == ScalarType.NULL || text.isBlank());
    }

    /** "a mapping", "a list", "an integer", ... for "expected X, got Y" messages. */
    String describe() {
        return switch (kind) {
            case MAPPING -> "a mapping";
            case LIST -> "a list";
            case SCALAR -> switch (scalarType) {
                case STRING -> "a string";
                case INTEGER -> "an integer";
                case FLOAT -> "a decimal number";
                case BOOLEAN -> "a boolean";
                case NULL -> "no value";
            };
        };
    }
}
