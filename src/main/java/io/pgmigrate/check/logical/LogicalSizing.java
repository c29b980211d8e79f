package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the pre-flight computed, for the planner: the replication settings green is created with, and what blue's
 * planned restart (for wal_level) sets as well. Counted exactly as {@link SlotsAndSenders} and {@link ApplyWorkers}
 * count, so that the plan provides what the findings ask for.
 */
public final class LogicalSizing {
    private final CheckInput in;
    private final ReplicationSettings settings;

    public LogicalSizing(CheckInput in) {
        this.in = in;
        this.settings = new ReplicationSettings(in);
    }

    /** Whether blue must be restarted for wal_level = logical. */
    public boolean blueRestartNeeded() {
        return WalLevel.restartNeeded(in);
    }

    /**
     * Green's replication settings (sorted): wal_level = logical (blue subscribes to green after the switch), and
     * slots, WAL senders, workers and origins at least what both directions need, or more when blue's configuration
     * (carried over) sets more.
     */
    public Map<String, String> green() {
        Map<String, String> out = new TreeMap<>();
        out.put("wal_level", "logical");
        for (String name : List.of(ReplicationSettings.SLOTS, ReplicationSettings.SENDERS, ReplicationSettings.WORKERS,
                ReplicationSettings.PROCESSES)) {
            out.put(name, String.valueOf(settings.green(name)));
        }
        String origins = ReplicationSettings.originsSetting(in.path().targetMajor());
        out.put(origins, String.valueOf(settings.green(origins)));
        List<Shortfall> raise = new ArrayList<>(SlotsAndSenders.green(settings));
        raise.addAll(ApplyWorkers.green(in, settings));
        raise.forEach(f -> out.merge(f.setting(), String.valueOf(f.needs()),
                (a, b) -> String.valueOf(Math.max(Integer.parseInt(a), Integer.parseInt(b)))));
        return out;
    }

    /**
     * Settings blue lacks for replication in either direction (slots, senders, workers, origins), by the value it
     * needs (sorted); empty when blue has enough.
     */
    public Map<String, Integer> blueShortfalls() {
        List<Shortfall> all = new ArrayList<>(SlotsAndSenders.blue(in, settings));
        all.addAll(ApplyWorkers.blue(in, settings));
        Map<String, Integer> out = new TreeMap<>();
        all.forEach(f -> out.merge(f.setting(), f.needs(), Math::max));
        return out;
    }
}
