package io.pgmigrate.check.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The chain of update scripts ALTER EXTENSION … UPDATE would run, as PostgreSQL finds it (shortest path). */
final class ExtensionUpdatePath {
    private ExtensionUpdatePath() {
    }

    /**
     * @param updates update scripts as {@code A--B}
     * @return the versions passed through after {@code from}, ending with {@code to}; empty when unreachable
     */
    static Optional<List<String>> find(List<String> updates, String from, String to) {
        if (from.equals(to)) {
            return Optional.of(List.of());
        }
        Map<String, List<String>> edges = new HashMap<>();
        for (String u : updates) {
            String[] p = u.split("--", 2);
            if (p.length == 2) {
                edges.computeIfAbsent(p[0], k -> new ArrayList<>()).add(p[1]);
            }
        }
        Map<String, String> previous = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(from));
        previous.put(from, null);
        while (!queue.isEmpty()) {
            String v = queue.removeFirst();
            if (v.equals(to)) {
                List<String> path = new ArrayList<>();
                for (String s = to; !s.equals(from); s = previous.get(s)) {
                    path.add(s);
                }
                Collections.reverse(path);
                return Optional.of(path);
            }
            for (String next : edges.getOrDefault(v, List.of())) {
                if (!previous.containsKey(next)) {
                    previous.put(next, v);
                    queue.addLast(next);
                }
            }
        }
        return Optional.empty();
    }
}
