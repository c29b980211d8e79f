package io.pgmigrate.plan;


import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The reviewed contract between {@code plan} and {@code execute} (brief §3).
 *
 * @param createdAt the one line allowed to differ between two plans of the same cluster and inventory
 * @param digest    SHA-256 of the canonical JSON of everything else; see {@link PlanJson#digest}
 */
public record Plan(
        int formatVersion,
        String toolVersion,
        Instant createdAt,
        String name,
        Strategy strategy,
        String mode,
        String sourceVersion,
        String targetVersion,
        Fingerprint fingerprint,
        List<Finding> findings,
        Estimates estimates,
        List<String> rollbackRules,
        List<Phase> phases,
        String digest) {

    /** 2: typed step roles, completion probes, check kinds and replication actions, phase kinds. */
    public static final int FORMAT_VERSION = 3;

    public List<Finding> blockers() {
        return findings.stream().filter(f -> f.severity() == Severity.BLOCKER).toList();
    }

    /** The step with this id, wherever it stands in the phases. */
    public Optional<Step> step(String id) {
        return phases.stream().flatMap(p -> p.steps().stream()).filter(s -> s.id().equals(id)).findFirst();
    }

    /** The first phase of this kind. */
    public Optional<Phase> phase(PhaseKind kind) {
        return phases.stream().filter(p -> p.kind() == kind).findFirst();
    }

    /** Every step of every phase, in order. */
    public java.util.List<Step> steps() {
        return phases.stream().flatMap(p -> p.steps().stream()).toList();
    }

    public boolean ready() {
        return blockers().isEmpty();
    }

    public Plan withDigest(String newDigest) {
        return new Plan(formatVersion, toolVersion, createdAt, name, strategy, mode, sourceVersion, targetVersion,
                fingerprint, findings, estimates, rollbackRules, phases, newDigest);
    }

    public Plan withCreatedAt(Instant at) {
        return new Plan(formatVersion, toolVersion, at, name, strategy, mode, sourceVersion, targetVersion,
                fingerprint, findings, estimates, rollbackRules, phases, digest);
    }
}
