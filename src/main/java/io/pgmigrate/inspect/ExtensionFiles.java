package io.pgmigrate.inspect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an installation's {@code share/extension} directory offers, from its file names and the
 * default_version lines of its control files.
 */
record ExtensionFiles(Map<String, List<String>> versions, Map<String, String> defaultVersions,
                      Map<String, List<String>> updates) {

    /** Orders versions as people read them: 1.9 before 1.10. */
    static final Comparator<String> VERSION_ORDER = ExtensionFiles::compareVersions;

    /**
     * @param fileNames        names in share/extension ({@code ls -1})
     * @param defaultVersionGrep lines {@code PATH/NAME.control:default_version = 'V'}
     */
    static ExtensionFiles parse(List<String> fileNames, List<String> defaultVersionGrep) {
        Map<String, TreeSet<String>> versions = new TreeMap<>();
        Map<String, List<String>> updates = new TreeMap<>();
        for (String f : fileNames) {
            if (f.endsWith(".control") && !f.contains("--")) {
                versions.computeIfAbsent(f.substring(0, f.length() - ".control".length()), k -> sortedSet());
            }
        }
        for (String f : fileNames) {
            if (!f.endsWith(".sql")) {
                continue;
            }
            String[] parts = f.substring(0, f.length() - ".sql".length()).split("--", -1);
            TreeSet<String> v = versions.get(parts[0]);
            if (v == null || parts.length < 2 || parts.length > 3) {
                continue;
            }
            v.add(parts[1]);
            if (parts.length == 3) {
                v.add(parts[2]);
                updates.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1] + "--" + parts[2]);
            }
        }
        Map<String, List<String>> versionLists = new TreeMap<>();
        versions.forEach((k, v) -> versionLists.put(k, List.copyOf(v)));
        updates.replaceAll((k, v) -> v.stream().sorted(Comparator.comparing((String e) -> e.split("--")[0],
                VERSION_ORDER).thenComparing(e -> e.split("--")[1], VERSION_ORDER)).toList());
        return new ExtensionFiles(versionLists, defaults(defaultVersionGrep, versions.keySet()), updates);
    }

    private static TreeSet<String> sortedSet() {
        return new TreeSet<>(VERSION_ORDER);
    }

    private static Map<String, String> defaults(List<String> grepLines, java.util.Set<String> names) {
        Map<String, String> map = new TreeMap<>();
        for (String line : grepLines) {
            int colon = line.indexOf(".control:");
            int eq = line.indexOf('=', colon + 1);
            if (colon < 0 || eq < 0) {
                continue;
            }
            String name = line.substring(line.lastIndexOf('/', colon) + 1, colon);
            String value = line.substring(eq + 1).strip();
            int hash = value.indexOf('#');
            if (hash >= 0 && !value.startsWith("'")) {
                value = value.substring(0, hash).strip();
            }
            if (value.startsWith("'")) {
                int end = value.indexOf('\'', 1);
                value = end > 0 ? value.substring(1, end) : value.substring(1);
            }
            if (names.contains(name)) {
                map.put(name, value);
            }
        }
        return map;
    }

    /** Compares dotted versions numerically where both parts are numbers, else as text. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("[.\\-]");
        String[] y = b.split("[.\\-]");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].matches("\\d{1,9}") && y[i].matches("\\d{1,9}")
                    ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i])) : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return x.length != y.length ? Integer.compare(x.length, y.length) : a.compareTo(b);
    }
}
