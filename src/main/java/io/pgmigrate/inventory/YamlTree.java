package io.pgmigrate.inventory;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.pgmigrate.core.PgMigrateException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Parses YAML text into {@link YamlNode}s with line numbers, from Jackson's YAML token stream.
 * Rejects, with a one-line message: syntax errors, duplicate keys, aliases, tagged values and a second document.
 */
final class YamlTree {
    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private YamlTree() {
    }

    /**
     * @param text the file's content
     * @param file the file as the user named it, for messages
     * @return the root node, or empty when the text holds no YAML at all (blank, or only comments)
     */
    static Optional<YamlNode> parse(String text, String file) {
        JsonParser parser = null;
        try (JsonParser p = FACTORY.createParser(text)) {
            parser = p;
            if (p.nextToken() == null) {
                return Optional.empty();
            }
            YamlNode root = read(p, file);
            if (p.nextToken() != null) {
                throw InventoryProblems.at(file, lineOf(p), null,
                        "a second YAML document ('---') follows the first; keep exactly one inventory per file");
            }
            return Optional.of(root);
        } catch (JsonProcessingException e) {
            throw translate(e, parser, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static YamlNode read(JsonParser p, String file) throws IOException {
        int line = lineOf(p);
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT -> {
                LinkedHashMap<String, YamlNode> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = lineOf(p);
                    p.nextToken();
                    entries.put(key, read(p, file).atLine(keyLine));
                }
                return YamlNode.mapping(line, entries);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p, file));
                }
                return YamlNode.list(line, items);
            }
            case VALUE_STRING -> {
                if (p instanceof YAMLParser y && y.isCurrentAlias()) {
                    throw InventoryProblems.at(file, line, pathOf(p.getParsingContext()),
                            "YAML aliases (*" + p.getText() + ") are not supported; write the value out in full");
                }
                return YamlNode.scalar(line, p.getText(), YamlNode.ScalarType.STRING);
            }
            case VALUE_NUMBER_INT -> {
                return YamlNode.scalar(line, p.getText(), YamlNode.ScalarType.INTEGER);
            }
            case VALUE_NUMBER_FLOAT -> {
                return YamlNode.scalar(line, p.getText(), YamlNode.ScalarType.FLOAT);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return YamlNode.scalar(line, p.getText(), YamlNode.ScalarType.BOOLEAN);
            }
            case VALUE_NULL -> {
                return YamlNode.scalar(line, "", YamlNode.ScalarType.NULL);
            }
            default -> throw InventoryProblems.at(file, line, pathOf(p.getParsingContext()),
                    "tagged YAML values (such as !!binary) are not supported; write a plain value");
        }
    }

    private static PgMigrateException translate(JsonProcessingException e, JsonParser p, String file) {
        MarkedYAMLException marked = findMarked(e);
        if (marked != null) {
            Mark mark = marked.getProblemMark();
            int line = mark != null ? mark.getLine() + 1 : locationLine(e);
            StringBuilder what = new StringBuilder("not valid YAML: ").append(clean(marked.getProblem()));
            Mark contextMark = marked.getContextMark();
            if (marked.getContext() != null && contextMark != null && contextMark.getLine() + 1 != line) {
                what.append(" (").append(clean(marked.getContext())).append(" at line ")
                        .append(contextMark.getLine() + 1).append(')');
            }
            what.append("; check the indentation (spaces, not tabs) and quote values that contain ': ' or '#'");
            return InventoryProblems.at(file, line, null, what.toString());
        }
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (original.startsWith("Duplicate field") && p != null) {
            return InventoryProblems.at(file, locationLine(e), pathOf(p.getParsingContext()),
                    "duplicate key; a key may appear only once in a mapping, keep one of them");
        }
        if (original.startsWith("Expected a field name")) {
            return InventoryProblems.at(file, locationLine(e), null,
                    "unsupported YAML: mapping keys must be plain words, not lists or mappings");
        }
        return InventoryProblems.at(file, locationLine(e), null, "cannot be read as YAML; check the syntax near this line");
    }

    private static MarkedYAMLException findMarked(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m) {
                return m;
            }
        }
        return null;
    }

    /** snakeyaml's texts end with periods and may hold line breaks; a message wants one clause. */
    private static String clean(String s) {
        String one = s.replaceAll("\\s+", " ")
                .replace("character '\\t(TAB)'", "a tab character")
                .replaceAll("\\.? ?\\(Do not use .* for indentation\\)", "")
                .trim();
        return one.endsWith(".") ? one.substring(0, one.length() - 1) : one;
    }

    private static int locationLine(JsonProcessingException e) {
        return e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
    }

    private static int lineOf(JsonParser p) {
        return Math.max(0, p.currentTokenLocation().getLineNr());
    }

    /** {@code source.pg.port}, {@code smokeQueries[1].sql}: the key path of the parser's position. */
    static String pathOf(JsonStreamContext context) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.add(0, c.getCurrentName());
            } else if (c.inArray()) {
                parts.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            }
        }
        StringBuilder b = new StringBuilder();
        for (String part : parts) {
            if (b.length() > 0 && !part.startsWith("[")) {
                b.append('.');
            }
            b.append(part);
        }
        return b.toString();
    }
}
