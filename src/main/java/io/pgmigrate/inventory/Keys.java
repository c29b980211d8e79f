package io.pgmigrate.inventory;

import io.pgmigrate.core.PgMigrateException;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A typed reader over one YAML mapping of the inventory. It knows its key path ({@code source.pg}) and line,
 * so every accessor fails with a one-line message naming file, line, key path, the problem and the fix.
 * Keys given with no value ({@code key:}, {@code key: ~}) count as absent.
 */
final class Keys {
    /** What every reader shares: the file's name for messages and the home directory that {@code ~/} means. */
    record Context(String file, Path home) {
    }

    private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]+");

    private final Context context;
    private final YamlNode node;
    private final String path;

    private Keys(Context context, YamlNode node, String path) {
        this.context = context;
        this.node = node;
        this.path = path;
    }

    static Keys root(YamlNode node, Context context) {
        return new Keys(context, node, "");
    }

    String path() {
        return path;
    }

    int line() {
        return path.isEmpty() ? 0 : node.line();
    }

    Context context() {
        return context;
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Present with a value. */
    boolean has(String key) {
        YamlNode v = node.entries().get(key);
        return v != null && !v.isEmptyValue();
    }

    int lineOf(String key) {
        YamlNode v = node.entries().get(key);
        return v != null ? v.line() : line();
    }

    Optional<YamlNode> value(String key) {
        return has(key) ? Optional.of(node.entries().get(key)) : Optional.empty();
    }

    PgMigrateException fail(String key, String what) {
        return InventoryProblems.at(context.file(), lineOf(key), pathOf(key), what);
    }

    PgMigrateException failHere(String what) {
        return InventoryProblems.at(context.file(), line(), path, what);
    }

    /** Rejects keys this mapping does not know, suggesting the closest known one. */
    void rejectUnknown(Collection<String> known) {
        for (String key : node.entries().keySet()) {
            if (!known.contains(key)) {
                String hint = KeySuggestions.closest(key, known)
                        .map(k -> "did you mean '" + k + "'?")
                        .orElse("expected one of: " + String.join(", ", known));
                throw fail(key, "unknown key; " + hint);
            }
        }
    }

    private YamlNode require(String key, String hint) {
        if (!node.entries().containsKey(key)) {
            throw InventoryProblems.at(context.file(), line(), pathOf(key), "required key is missing; " + hint);
        }
        YamlNode v = node.entries().get(key);
        if (v.isEmptyValue()) {
            throw fail(key, "required key has no value; " + hint);
        }
        return v;
    }

    String requireString(String key, String hint) {
        return scalarText(key, require(key, hint));
    }

    Optional<String> optionalString(String key) {
        return value(key).map(v -> scalarText(key, v));
    }

    String optionalString(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    private String scalarText(String key, YamlNode v) {
        if (!v.isScalar()) {
            throw fail(key, "expected a single value, got " + v.describe());
        }
        return v.text().trim();
    }

    int requireInt(String key, int min, int max, String hint) {
        return toInt(key, require(key, hint), min, max, hint);
    }

    int optionalInt(String key, int defaultValue, int min, int max) {
        return value(key).map(v -> toInt(key, v, min, max, null)).orElse(defaultValue);
    }

    private int toInt(String key, YamlNode v, int min, int max, String hint) {
        String text = scalarText(key, v);
        boolean numeric = (v.scalarType() == YamlNode.ScalarType.INTEGER || v.scalarType() == YamlNode.ScalarType.STRING)
                && DECIMAL.matcher(text).matches();
        if (!numeric) {
            throw fail(key, "expected an integer, got " + InventoryProblems.quote(text) + (hint == null ? "" : "; " + hint));
        }
        long n;
        try {
            n = Long.parseLong(text);
        } catch (NumberFormatException e) {
            n = text.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        if (n < min || n > max) {
            String range = max == Integer.MAX_VALUE ? "must be at least " + min : "must be between " + min + " and " + max;
            throw fail(key, range + ", got " + text);
        }
        return (int) n;
    }

    boolean optionalBool(String key, boolean defaultValue) {
        return value(key).map(v -> {
            String text = scalarText(key, v).toLowerCase(Locale.ROOT);
            return switch (text) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw fail(key, "expected true or false, got " + InventoryProblems.quote(text));
            };
        }).orElse(defaultValue);
    }

    /** One of {@code allowed} (keys as written in YAML, in the order to list them), or the default when absent. */
    <T> T oneOf(String key, Map<String, T> allowed, T defaultValue) {
        Optional<String> text = optionalString(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        T found = allowed.get(text.get());
        if (found == null) {
            throw fail(key, notOneOf(String.join(", ", allowed.keySet()), text.get(), allowed.keySet()));
        }
        return found;
    }

    static String notOneOf(String allowedText, String got, Collection<String> candidates) {
        return "must be one of " + allowedText + ", got " + InventoryProblems.quote(got)
                + KeySuggestions.closest(got, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
    }

    /**
     * An absolute path, normalized. {@code ~} and {@code ~/...} expand to the home directory of this machine, so
     * they are refused for a path on another host ({@code remoteHost} non-null), where they would mean another home.
     */
    Path requirePath(String key, String hint, String remoteHost) {
        return toPath(key, scalarText(key, require(key, hint)), remoteHost);
    }

    Optional<Path> optionalPath(String key, String remoteHost) {
        return optionalString(key).map(text -> toPath(key, text, remoteHost));
    }

    Path toPath(String key, String text, String remoteHost) {
        String expanded = text;
        if (text.equals("~") || text.startsWith("~/")) {
            if (remoteHost != null) {
                throw fail(key, "'~' would be this machine's home directory, not the one on " + remoteHost
                        + "; give the absolute path, got " + InventoryProblems.quote(text));
            }
            expanded = context.home().toString() + text.substring(1);
        }
        try {
            Path p = Path.of(expanded);
            if (!p.isAbsolute()) {
                throw fail(key, "must be an absolute path, got " + InventoryProblems.quote(text));
            }
            return p.normalize();
        } catch (InvalidPathException e) {
            throw fail(key, "is not a valid path, got " + InventoryProblems.quote(text));
        }
    }

    Keys requireMap(String key, String hint) {
        return asMap(key, require(key, hint));
    }

    Optional<Keys> optionalMap(String key) {
        return value(key).map(v -> asMap(key, v));
    }

    /** The mapping under {@code key}, or an empty one when the key is absent: every optional read gives its default. */
    Keys section(String key) {
        return optionalMap(key).orElseGet(() -> new Keys(context,
                YamlNode.mapping(lineOf(key), new LinkedHashMap<>()), pathOf(key)));
    }

    Keys asMap(String key, YamlNode v) {
        if (!v.isMapping()) {
            throw fail(key, "expected a mapping (indented 'key: value' lines), got " + describeValue(v));
        }
        return new Keys(context, v, pathOf(key));
    }

    /** A list of strings (a command's arguments); absent: an empty list. */
    List<String> optionalStringList(String key) {
        Optional<YamlNode> v = value(key);
        if (v.isEmpty()) {
            return List.of();
        }
        if (!v.get().isList() || v.get().items().isEmpty()) {
            throw fail(key, "expected a non-empty list of strings (the program, then its arguments), got "
                    + describeValue(v.get()));
        }
        List<String> out = new ArrayList<>();
        for (YamlNode item : v.get().items()) {
            if (!item.isScalar() || item.text().isEmpty()) {
                throw fail(key, "every item must be a non-empty string, got " + describeValue(item));
            }
            out.add(item.text());
        }
        return List.copyOf(out);
    }

    /** A list of mappings; each element's path is {@code key[i]}. Absent or empty: an empty list. */
    List<Keys> optionalListOfMaps(String key) {
        Optional<YamlNode> v = value(key);
        if (v.isEmpty()) {
            return List.of();
        }
        if (!v.get().isList()) {
            throw fail(key, "expected a list ('- ' items), got " + describeValue(v.get()));
        }
        List<Keys> out = new ArrayList<>();
        List<YamlNode> items = v.get().items();
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            String itemPath = pathOf(key) + "[" + i + "]";
            if (!item.isMapping()) {
                throw InventoryProblems.at(context.file(), item.line(), itemPath,
                        "expected a mapping (indented 'key: value' lines), got " + describeValue(item));
            }
            out.add(new Keys(context, item, itemPath));
        }
        return out;
    }

    private static String describeValue(YamlNode v) {
        return v.isScalar() ? v.describe() + " " + InventoryProblems.quote(v.text()) : v.describe();
    }

    /**
     * Passwords never go in the inventory: rejects the first key, anywhere in the document, whose name
     * mentions one ({@code password}, {@code pgpassword}, {@code sslpassword}, {@code passwd}).
     */
    static void rejectSecretKeys(YamlNode node, String path, Context context) {
        if (node.isMapping()) {
            for (Map.Entry<String, YamlNode> e : node.entries().entrySet()) {
                String keyPath = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                String lower = e.getKey().toLowerCase(Locale.ROOT);
                if (lower.contains("password") || lower.equals("passwd")) {
                    throw InventoryProblems.at(context.file(), e.getValue().line(), keyPath,
                            "passwords never go in the inventory; remove the key and use ~/.pgpass, PGPASSFILE or PGPASSWORD");
                }
                rejectSecretKeys(e.getValue(), keyPath, context);
            }
        } else if (node.isList()) {
            for (int i = 0; i < node.items().size(); i++) {
                rejectSecretKeys(node.items().get(i), path + "[" + i + "]", context);
            }
        }
    }
}
