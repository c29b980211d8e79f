package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.facts.PatroniFacts;
import io.pgmigrate.plan.Finding;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What is known of Patroni's version with the target: 3.0.2 runs PostgreSQL 15 and 18 members here
 * (PatroniUpgradeByHandExperiment), but its table of settings ends before 16, so settings new since 16 cannot be set through
 * it (docs/patroni-upgrade-notes.md, pitfall 6). Older than 3.0.2 is untried with the target. Later versions are not
 * tried here either, and not warned about: their release notes say which PostgreSQL they support.
 */
public final class PatroniVersion implements PreCheck {
    public static final String ID = "patroni-version";
    static final int[] TRIED = {3, 0, 2};
    /** The first PostgreSQL with settings Patroni 3.0.x does not know. */
    static final int NEW_SETTINGS_SINCE = 16;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        PatroniFacts p = PatroniInput.of(in);
        if (p == null) {
            return List.of();
        }
        int target = in.path().targetMajor();
        Map<String, String> older = new TreeMap<>();
        Map<String, String> threeZero = new TreeMap<>();
        for (PatroniFacts.Endpoint e : p.endpoints()) {
            String who = (e.member() == null ? e.endpoint() : e.member()) + ": Patroni " + e.patroniVersion();
            int[] v = parse(e.patroniVersion());
            if (v == null || compare(v, TRIED) < 0) {
                older.put(who, who);
            } else if (v[0] == 3 && v[1] == 0 && target >= NEW_SETTINGS_SINCE) {
                threeZero.put(who, who);
            }
        }
        if (!older.isEmpty()) {
            return List.of(Finding.warning(ID, "Patroni older than 3.0.2, the oldest known to run PostgreSQL " + target,
                    "pgmigrate's Patroni procedure was tried with Patroni 3.0.2, which runs PostgreSQL 15 and 18"
                            + " members; whether an older Patroni manages PostgreSQL " + target + " is not known here.",
                    List.copyOf(older.values()), "upgrade Patroni on every member first (a rolling upgrade, replicas"
                            + " first), or check its release notes for PostgreSQL " + target));
        }
        if (!threeZero.isEmpty()) {
            return List.of(Finding.warning(ID, "Patroni 3.0 cannot set settings new since PostgreSQL "
                            + NEW_SETTINGS_SINCE,
                    "Patroni 3.0.2 runs PostgreSQL " + target + ", but its own table of settings ends before "
                            + NEW_SETTINGS_SINCE + ": a setting new since then given in patroni.yml or the DCS is"
                            + " dropped (\"Removing unexpected parameter\").",
                    List.copyOf(threeZero.values()), "set new settings with ALTER SYSTEM (postgresql.auto.conf, which"
                            + " Patroni leaves alone), or upgrade Patroni"));
        }
        return List.of();
    }

    /** {@code 3.0.2} → {3, 0, 2}; null when it is not a dotted version. */
    static int[] parse(String version) {
        if (version == null || !version.matches("[0-9]+(\\.[0-9]+){0,2}.*")) {
            return null;
        }
        String[] parts = version.replaceAll("[^0-9.].*$", "").split("\\.");
        int[] v = new int[3];
        for (int i = 0; i < 3 && i < parts.length; i++) {
            v[i] = parts[i].isEmpty() ? 0 : Integer.parseInt(parts[i]);
        }
        return v;
    }

    static int compare(int[] a, int[] b) {
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }
}
