package io.pgmigrate.planner;

import io.pgmigrate.planner.bluegreen.LogicalPhases;
import io.pgmigrate.planner.inplace.InPlacePhases;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreChecks;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.check.logical.LogicalSizing;
import io.pgmigrate.core.ToolVersion;
import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.plan.Estimates;
import io.pgmigrate.plan.Fingerprint;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;

import io.pgmigrate.pg.DataFingerprints;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The planner: a pure function from (inventory, facts, time) to a plan. No I/O: everything it
 * decides on is in the facts, so golden-file tests need no server.
 */
public final class Planner {
    /** Settings that identify how the cluster behaves; part of the fingerprint. */
    static final Set<String> FINGERPRINT_SETTINGS = Set.of("block_size", "max_connections", "port", "server_encoding",
            "shared_preload_libraries", "wal_level", "wal_segment_size", "max_prepared_transactions",
            "max_replication_slots", "max_wal_senders", "data_checksums");

    /** A logical plan's "mode": how green gets the data (the native initial copy; a standby-based one may follow). */
    public static final String LOGICAL_MODE = "copy_data";

    /** Phases only {@code pgmigrate rollback} or {@code pgmigrate cleanup} run: not part of the estimates. */


    private Planner() {
    }

    public static Plan plan(Inventory asWritten, ClusterFacts facts, Instant createdAt) {
        SourceFacts source = facts.source();
        List<Finding> findings = findings(asWritten, facts);
        // a source that cannot fingerprint: every verification step compares row counts only (FingerprintsAvailable)
        Inventory inv = DataFingerprints.available(source.version().major()) ? asWritten
                : asWritten.withoutFingerprints();
        List<Phase> phases;
        List<String> assumptions;
        List<String> rollbackRules;
        String mode;
        boolean pgbouncer = inv.cutover() != null && inv.cutover().pgbouncer() != null;
        if (inv.strategy() == Strategy.LOGICAL) {
            LogicalPhases logical = new LogicalPhases(inv, source, new LogicalSizing(checkInput(inv, facts)));
            phases = logical.phases();
            assumptions = logical.assumptions();
            rollbackRules = RollbackRules.forLogical(pgbouncer);
            if (!inv.target().standbys().isEmpty()) {
                rollbackRules = new java.util.ArrayList<>(rollbackRules);
                rollbackRules.add(RollbackRules.GREEN_STANDBYS);
                rollbackRules = List.copyOf(rollbackRules);
            }
            mode = LOGICAL_MODE;
        } else {
            InPlacePhases inPlace = new InPlacePhases(inv, facts);
            phases = inPlace.phases();
            assumptions = inPlace.estimator().assumptions();
            rollbackRules = new java.util.ArrayList<>(RollbackRules.forMode(inv.options().mode(), pgbouncer,
                    inv.source().service()));
            if (inPlace.rsyncsStandbys() || inPlace.recreatesStandbys()) {
                rollbackRules.addAll(RollbackRules.forStandbys(inv.options().mode(), inPlace.rsyncsStandbys(),
                        inPlace.recreatesStandbys(), inPlace.drivesPatroni()));
            }
            if (inPlace.drivesPatroni()) {
                rollbackRules.add(RollbackRules.PATRONI);
            }
            rollbackRules = List.copyOf(rollbackRules);
            mode = inv.options().mode().key();
        }
        Duration total = phases.stream().filter(p -> !p.kind().onRequestOnly()).map(Phase::estimate)
                .reduce(Duration.ZERO, Duration::plus);
        Estimates estimates = new Estimates(total, InPlacePhases.outage(phases.stream()
                .filter(p -> !p.kind().onRequestOnly()).toList()), assumptions);
        Plan plan = new Plan(Plan.FORMAT_VERSION, ToolVersion.current(), createdAt, inv.name(),
                inv.strategy(), mode, source.version().toString(),
                String.valueOf(inv.target().version()), fingerprint(source), findings, estimates, rollbackRules,
                phases, null);
        return plan.withDigest(PlanJson.digest(plan));
    }

    /** Every pre-check finding for this inventory's strategy, blockers first: pure, like {@link #plan}. */
    public static List<Finding> findings(Inventory inv, ClusterFacts facts) {
        return PreChecks.evaluate(checkInput(inv, facts)).stream()
                .sorted(Comparator.comparing(Finding::severity)).toList();
    }

    private static CheckInput checkInput(Inventory inv, ClusterFacts facts) {
        return new CheckInput(inv, facts, new UpgradePath(facts.source().version().major(), inv.target().version(),
                inv.options().mode()));
    }

    /** The identity of a source cluster as plans record it; execute compares it with the live cluster. */
    public static Fingerprint fingerprint(SourceFacts s) {
        List<Fingerprint.Database> dbs = s.databases().stream()
                .map(d -> new Fingerprint.Database(d.name(), d.encoding(), d.collate(), d.ctype(), d.sizeBytes(),
                        d.relationCount(), d.extensions().stream().map(e -> e.name() + "@" + e.version()).sorted()
                        .toList()))
                .sorted(Comparator.comparing(Fingerprint.Database::name)).toList();
        Map<String, String> settings = new TreeMap<>();
        s.settings().forEach((k, v) -> {
            if (FINGERPRINT_SETTINGS.contains(k)) {
                settings.put(k, v);
            }
        });
        return new Fingerprint(s.systemIdentifier(), s.version().toString(), s.dataChecksums(), s.dataDirectory(),
                dbs, settings);
    }
}
