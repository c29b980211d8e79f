package io.pgmigrate.execute;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * patroni.yml made to name another data directory and other binaries, line by line: only the {@code data_dir} and
 * {@code bin_dir} lines of the top-level {@code postgresql:} section change (bin_dir added after data_dir when the file
 * has none); comments, order and every other line stay as the DBA wrote them. Pure: text in, text out.
 */
public final class PatroniConfigEdit {
    private static final Pattern SECTION = Pattern.compile("^postgresql:\\s*(#.*)?$");
    private static final Pattern KEY = Pattern.compile("^(\\s+)(data_dir|bin_dir):(\\s*)(.*?)\\s*(#.*)?$");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9/._+-]+");

    private PatroniConfigEdit() {
    }

    /** The value of {@code postgresql.data_dir} (quotes removed), or null when the file has none. */
    public static String dataDir(String yaml) {
        return value(yaml, "data_dir");
    }

    /** The value of {@code postgresql.bin_dir} (quotes removed), or null when the file has none. */
    public static String binDir(String yaml) {
        return value(yaml, "bin_dir");
    }

    /**
     * The file with {@code data_dir} and {@code bin_dir} set; throws {@link IllegalArgumentException} (its message one
     * line for the DBA) when it has no block-style {@code postgresql:} section with a {@code data_dir}.
     */
    public static String edit(String yaml, String dataDir, String binDir) {
        return edit(yaml, dataDir, binDir, java.util.Map.of(), java.util.Set.of(), new ArrayList<>());
    }

    /**
     * As {@link #edit(String, String, String)}, and under {@code postgresql.parameters} each setting of
     * {@code remove} deleted (its line, and the lines of a value continued below it) and each of {@code rename}
     * renamed, its value kept; what was changed is added to {@code changed}, one entry per setting.
     */
    public static String edit(String yaml, String dataDir, String binDir, java.util.Map<String, String> rename,
                              java.util.Set<String> remove, List<String> changed) {
        List<String> lines = new ArrayList<>(yaml.lines().toList());
        parameters(lines, rename, remove, changed);
        int[] block = block(lines);
        int dataLine = -1;
        int binLine = -1;
        String indent = null;
        for (int i = block[0]; i < block[1]; i++) {
            Matcher m = KEY.matcher(lines.get(i));
            if (m.matches() && (indent == null || m.group(1).equals(indent))) {
                indent = m.group(1);
                if (m.group(2).equals("data_dir")) {
                    dataLine = i;
                } else {
                    binLine = i;
                }
            }
        }
        if (dataLine < 0) {
            throw new IllegalArgumentException("its postgresql: section has no data_dir");
        }
        lines.set(dataLine, indent + "data_dir: " + scalar(dataDir));
        if (binLine >= 0) {
            lines.set(binLine, indent + "bin_dir: " + scalar(binDir));
        } else {
            lines.add(dataLine + 1, indent + "bin_dir: " + scalar(binDir));
        }
        return String.join("\n", lines) + "\n";
    }

    private static final Pattern PARAMETERS = Pattern.compile("^(\\s+)parameters:\\s*(#.*)?$");
    private static final Pattern SETTING = Pattern.compile("^(\\s+)([A-Za-z_][A-Za-z0-9_.]*)(\\s*:.*)$");

    private static void parameters(List<String> lines, java.util.Map<String, String> rename,
                                   java.util.Set<String> remove, List<String> changed) {
        if (rename.isEmpty() && remove.isEmpty()) {
            return;
        }
        int[] block = block(lines);
        String sectionIndent = null;
        for (int i = block[0]; i < block[1]; i++) {
            Matcher k = KEY.matcher(lines.get(i));
            if (k.matches()) {
                sectionIndent = k.group(1);
                break;
            }
        }
        for (int i = block[0]; i < block[1]; i++) {
            Matcher p = PARAMETERS.matcher(lines.get(i));
            if (!p.matches() || (sectionIndent != null && !p.group(1).equals(sectionIndent))) {
                continue;
            }
            int parent = p.group(1).length();
            int j = i + 1;
            String childIndent = null;
            while (j < lines.size() && (lines.get(j).isBlank() || lines.get(j).strip().startsWith("#")
                    || indent(lines.get(j)) > parent)) {
                Matcher s = SETTING.matcher(lines.get(j));
                if (s.matches() && (childIndent == null || s.group(1).equals(childIndent))) {
                    childIndent = s.group(1);
                    String name = s.group(2).toLowerCase(java.util.Locale.ROOT);
                    if (remove.contains(name)) {
                        lines.remove(j);
                        while (j < lines.size() && !lines.get(j).isBlank() && indent(lines.get(j)) > childIndent.length()) {
                            lines.remove(j); // the rest of a value continued on the lines below
                        }
                        changed.add("removed " + name);
                        continue;
                    }
                    if (rename.containsKey(name)) {
                        lines.set(j, s.group(1) + rename.get(name) + s.group(3));
                        changed.add("renamed " + name + " to " + rename.get(name));
                    }
                }
                j++;
            }
            return;
        }
    }

    private static int indent(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    private static String value(String yaml, String key) {
        List<String> lines = yaml.lines().toList();
        int[] block;
        try {
            block = block(lines);
        } catch (IllegalArgumentException e) {
            return null;
        }
        for (int i = block[0]; i < block[1]; i++) {
            Matcher m = KEY.matcher(lines.get(i));
            if (m.matches() && m.group(2).equals(key)) {
                return unquote(m.group(4));
            }
        }
        return null;
    }

    /** The lines of the postgresql: section's body, [first, end). */
    private static int[] block(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (SECTION.matcher(lines.get(i)).matches()) {
                int end = i + 1;
                while (end < lines.size() && (lines.get(end).isBlank() || Character.isWhitespace(lines.get(end)
                        .charAt(0)) || lines.get(end).startsWith("#"))) {
                    end++;
                }
                return new int[]{i + 1, end};
            }
        }
        throw new IllegalArgumentException("it has no top-level postgresql: section in block style");
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
            return v.substring(1, v.length() - 1).replace("''", "'");
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return v;
    }

    private static String scalar(String v) {
        return PLAIN.matcher(v).matches() ? v : "'" + v.replace("'", "''") + "'";
    }
}
