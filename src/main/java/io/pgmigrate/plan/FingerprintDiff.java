package io.pgmigrate.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What changed in the source since the plan was made: the reason {@code execute} refuses a stale plan.
 * Sizes and relation counts grow on any live cluster and are not differences; identity, version,
 * checksums, data directory, databases, their locales and extensions, and the fingerprinted settings are.
 */
public final class FingerprintDiff {
    private FingerprintDiff() {
    }

    /** One line per difference, empty when the live cluster is the one the plan was made for. */
    public static List<String> differences(Fingerprint planned, Fingerprint live) {
        List<String> out = new ArrayList<>();
        field(out, "system identifier", planned.systemIdentifier(), live.systemIdentifier());
        field(out, "server version", planned.serverVersion(), live.serverVersion());
        field(out, "data checksums", onOff(planned.dataChecksums()), onOff(live.dataChecksums()));
        field(out, "data directory", planned.dataDirectory(), live.dataDirectory());
        databases(out, planned.databases(), live.databases());
        settings(out, planned.settings(), live.settings());
        return out;
    }

    private static void field(List<String> out, String what, String planned, String live) {
        if (!Objects.equals(planned, live)) {
            out.add(what + ": " + planned + " in the plan, " + live + " now");
        }
    }

    private static String onOff(boolean b) {
        return b ? "on" : "off";
    }

    private static void databases(List<String> out, List<Fingerprint.Database> planned, List<Fingerprint.Database> live) {
        Map<String, Fingerprint.Database> before = byName(planned);
        Map<String, Fingerprint.Database> now = byName(live);
        for (String name : new TreeSet<>(union(before.keySet(), now.keySet()))) {
            Fingerprint.Database a = before.get(name);
            Fingerprint.Database b = now.get(name);
            if (a == null) {
                out.add("database " + name + " was created since the plan");
            } else if (b == null) {
                out.add("database " + name + " was dropped since the plan");
            } else {
                field(out, "database " + name + " encoding", a.encoding(), b.encoding());
                field(out, "database " + name + " collate", a.collate(), b.collate());
                field(out, "database " + name + " ctype", a.ctype(), b.ctype());
                if (!a.extensions().equals(b.extensions())) {
                    out.add("database " + name + " extensions: " + String.join(", ", a.extensions()) + " in the plan, "
                            + String.join(", ", b.extensions()) + " now");
                }
            }
        }
    }

    private static void settings(List<String> out, Map<String, String> planned, Map<String, String> live) {
        for (String name : new TreeSet<>(union(planned.keySet(), live.keySet()))) {
            field(out, "setting " + name, planned.get(name), live.get(name));
        }
    }

    private static Map<String, Fingerprint.Database> byName(List<Fingerprint.Database> dbs) {
        return dbs.stream().collect(Collectors.toMap(Fingerprint.Database::name, Function.identity(), (x, y) -> x,
                TreeMap::new));
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        Set<T> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }
}
