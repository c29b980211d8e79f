package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.facts.StandbyFacts;
import io.pgmigrate.inventory.Inventory.Standby;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What synchronous_standby_names does to commits while its standbys are away (issue #15): carried over as it is,
 * it would make every commit on the new primary wait until a standby it names streams again. pgmigrate starts the
 * new cluster without it and sets it back once one of the standbys it rebuilds and the setting names streams; the
 * plan says how long commits are not synchronous, and what happens when no rebuilt standby is a synchronous one.
 */
public final class SynchronousStandbys implements PreCheck {
    public static final String ID = "synchronous-standbys";
    static final String SETTING = "synchronous_standby_names";
    private static final Set<String> SYNC_STATES = Set.of("sync", "quorum", "potential");

    @Override
    public String id() {
        return ID;
    }

    /** The source's synchronous_standby_names as configured, or null when it names no standby. */
    public static String configured(io.pgmigrate.facts.SourceFacts source) {
        String v = source.nonDefaultSettings().get(SETTING);
        return v == null || v.isBlank() ? null : v;
    }

    /**
     * Whether the new cluster starts without synchronous_standby_names: it names standbys, and the inventory lists the
     * source's standbys (which are away from the primary's stop until they stream from the new one).
     */
    public static boolean clearedOnNewCluster(io.pgmigrate.inventory.Inventory inv,
                                              io.pgmigrate.facts.SourceFacts source) {
        return inv.strategy() == Strategy.PG_UPGRADE && configured(source) != null && !inv.standbys().isEmpty();
    }

    /**
     * The rebuilt standbys the source treats as synchronous candidates now (sync, quorum or potential), by name, in
     * the inventory's order.
     */
    public static List<String> rebuiltSynchronous(io.pgmigrate.inventory.Inventory inv,
                                                  io.pgmigrate.facts.ClusterFacts facts) {
        List<String> out = new ArrayList<>();
        for (Standby s : inv.rebuiltStandbys()) {
            StandbyFacts f = facts.standby(s.name()).orElse(null);
            if (f != null && f.sender() != null && SYNC_STATES.contains(f.sender().syncState())) {
                out.add(s.name());
            }
        }
        return out;
    }

    /**
     * Blue/green: green starts without blue's synchronous_standby_names, which names blue's standbys; carried over,
     * every commit on green (the schema's restore, then the clients' after the cutover) would wait for standbys green
     * never has.
     */
    public static boolean clearedOnGreen(io.pgmigrate.inventory.Inventory inv, io.pgmigrate.facts.SourceFacts source) {
        return inv.strategy() == Strategy.LOGICAL && configured(source) != null;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        String names = configured(in.source());
        if (clearedOnGreen(in.inventory(), in.source())) {
            String setting = SETTING + " = '" + names + "'";
            return List.of(Finding.warning(ID, "Green starts without synchronous_standby_names",
                    "Blue's " + setting + " names blue's standbys, which stay with blue. Carried over, every commit on"
                            + " green (the schema's restore, then the clients' after the cutover) would wait forever"
                            + " for standbys green does not have; so green gets every other setting of blue's but this"
                            + " one, and its commits are not synchronous until you give it standbys and set it.",
                    List.of(setting), "once green has standbys of its own, set it: ALTER SYSTEM SET " + SETTING
                            + " = '<their names>'; SELECT pg_reload_conf();"));
        }
        if (!clearedOnNewCluster(in.inventory(), in.source())) {
            return List.of();
        }
        List<String> sync = rebuiltSynchronous(in.inventory(), in.facts());
        String setting = SETTING + " = '" + names + "'";
        if (sync.isEmpty()) {
            return List.of(Finding.warning(ID, "No standby pgmigrate rebuilds is a synchronous one",
                    setting + " names standbys pgmigrate does not bring to the new version. Carried over, every commit"
                            + " on the new primary would wait for them forever; so the new cluster starts without it,"
                            + " and commits are not synchronous until you set it back.",
                    List.of(setting), "list the synchronous standby under standbys:, or, once you have rebuilt it, set"
                            + " it back: ALTER SYSTEM SET " + SETTING + " = '" + names.replace("'", "''")
                            + "'; SELECT pg_reload_conf();"));
        }
        return List.of(Finding.warning(ID, "Commits are not synchronous until a synchronous standby streams again",
                setting + ": from the primary's stop until one of " + String.join(", ", sync) + " streams from the"
                        + " new primary, no standby can confirm a commit. The new cluster starts without the setting"
                        + " (so that commits do not hang meanwhile), and the plan sets it back as soon as one of them"
                        + " streams; the plan's standby steps say when that is.",
                sync.stream().map(n -> "standby " + n).toList(),
                "nothing to do; to keep writers away until then, leave clients paused until the standby phase ends"));
    }
}
