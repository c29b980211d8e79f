package io.pgmigrate.plan;

import io.pgmigrate.core.Bytes;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The reviewer's rendering of a plan: blockers first, then what the plan will do step by step, with
 * rollback points and the point of no return impossible to miss. Deterministic: only the
 * "Created" line depends on time.
 */
public final class PlanMarkdown {
    private final StringBuilder out = new StringBuilder();

    private PlanMarkdown() {
    }

    public static String render(Plan plan) {
        PlanMarkdown md = new PlanMarkdown();
        md.header(plan);
        md.findings(plan.findings());
        md.fingerprint(plan.fingerprint());
        md.estimates(plan.estimates());
        md.rollback(plan.rollbackRules());
        md.phases(plan.phases());
        return md.out.toString();
    }

    private void line(String s) {
        out.append(s).append('\n');
    }

    private void header(Plan plan) {
        line("# pgmigrate plan: " + plan.name());
        line("");
        long blockers = plan.blockers().size();
        line(blockers == 0 ? "**Status: READY** — no blockers."
                : "**Status: BLOCKED** — " + blockers + " blocker" + (blockers == 1 ? "" : "s")
                + " must be fixed before this plan can be executed.");
        line("");
        line("| | |");
        line("|---|---|");
        line("| Strategy | " + plan.strategy().key() + (plan.strategy() == Strategy.LOGICAL
                ? " (blue/green, initial copy by " + plan.mode() + ")" : " (`--" + plan.mode() + "`)") + " |");
        line("| Upgrade | PostgreSQL " + plan.sourceVersion() + " → " + plan.targetVersion() + " |");
        line("| Estimated total | " + human(plan.estimates().total()) + " |");
        line("| Estimated write outage | " + human(plan.estimates().outage()) + " |");
        line("| Digest | `" + plan.digest() + "` |");
        line("| Tool version | " + plan.toolVersion() + " |");
        line("| Created | " + plan.createdAt() + " |");
        line("");
    }

    private void findings(List<Finding> findings) {
        line("## Pre-check findings");
        line("");
        if (findings.isEmpty()) {
            line("None.");
            line("");
            return;
        }
        for (Severity sev : Severity.values()) {
            List<Finding> some = findings.stream().filter(f -> f.severity() == sev).toList();
            if (some.isEmpty()) {
                continue;
            }
            line("### " + switch (sev) {
                case BLOCKER -> "Blockers";
                case WARNING -> "Warnings";
                case INFO -> "Notes";
            } + " (" + some.size() + ")");
            line("");
            for (Finding f : some) {
                line("- **" + Markdown.text(f.title()) + "** (" + Markdown.code(f.check()) + ")");
                if (f.detail() != null && !f.detail().isBlank()) {
                    line("  " + Markdown.text(f.detail()));
                }
                for (String o : f.objects()) {
                    line("  - " + Markdown.code(o));
                }
                fix(f.fix());
            }
            line("");
        }
    }

    /** A fix is a sentence, optionally followed by SQL lines: those go in a code block so they can be copied. */
    private void fix(String fix) {
        if (fix == null || fix.isBlank()) {
            return;
        }
        List<String> lines = fix.lines().toList();
        line("  - Fix: " + Markdown.text(lines.get(0)));
        if (lines.size() > 1) {
            line("");
            Markdown.fenced("sql", String.join("\n", lines.subList(1, lines.size()))).lines()
                    .forEach(l -> line("    " + l));
            line("");
        }
    }

    private void fingerprint(Fingerprint fp) {
        line("## Source fingerprint");
        line("");
        line("- System identifier: `" + fp.systemIdentifier() + "`");
        line("- Server version: " + fp.serverVersion());
        line("- Data checksums: " + (fp.dataChecksums() ? "on" : "off"));
        line("- Data directory: " + Markdown.code(fp.dataDirectory()));
        line("");
        line("| Database | Encoding | Collate | Ctype | Size | Relations | Extensions |");
        line("|---|---|---|---|---:|---:|---|");
        for (Fingerprint.Database d : fp.databases()) {
            line("| " + Markdown.cell(d.name()) + " | " + Markdown.text(d.encoding()) + " | " + Markdown.text(d.collate())
                    + " | " + Markdown.text(d.ctype()) + " | " + Bytes.human(d.sizeBytes()) + " | " + d.relations() + " | "
                    + Markdown.text(String.join(", ", d.extensions())) + " |");
        }
        line("");
        if (!fp.settings().isEmpty()) {
            line("Settings: " + fp.settings().entrySet().stream().map(e -> Markdown.code(e.getKey() + "=" + e.getValue()))
                    .collect(Collectors.joining(", ")));
            line("");
        }
    }

    private void estimates(Estimates e) {
        line("## Estimates");
        line("");
        line("Total " + human(e.total()) + ", of which clients cannot write for " + human(e.outage()) + ". Assumptions:");
        line("");
        e.assumptions().forEach(a -> line("- " + Markdown.text(a)));
        line("");
    }

    private void rollback(List<String> rules) {
        line("## Rollback rules");
        line("");
        rules.forEach(r -> line("- " + Markdown.text(r)));
        line("");
    }

    private void phases(List<Phase> phases) {
        line("## Steps");
        line("");
        int n = 0;
        for (Phase p : phases) {
            line("### " + Markdown.text(p.title()) + " — about " + human(p.estimate()));
            line("");
            for (Step s : p.steps()) {
                n++;
                step(n, s);
            }
        }
    }

    private void step(int n, Step s) {
        String flags = (s.inOutage() ? " · **in outage**" : "") + (s.retrySafe() ? " · retry-safe" : " · never retried");
        line(n + ". **" + Markdown.text(s.title()) + "** " + Markdown.code(s.id()) + " on " + s.host().name().toLowerCase()
                + (s.standby() == null ? "" : s.host() == HostRole.STANDBY ? " " + Markdown.code(s.standby())
                : " (for standby " + Markdown.code(s.standby()) + ")")
                + " · about " + human(s.estimate()) + " · timeout " + human(s.timeout()) + flags);
        if (!s.why().isBlank()) {
            line("   " + Markdown.text(s.why()));
        }
        line("");
        line(indent(ActionText.describe(s.action())));
        if (s.onTimeout() == OnTimeout.KEEP_WAITING) {
            line("   Never stopped by its timeout: past it, pgmigrate warns and keeps waiting; the DBA decides.");
            line("");
        }
        String resume = resume(s);
        if (resume != null) {
            line("   If interrupted: " + resume);
            line("");
        }
        if (s.undo() != null) {
            line("   Undo: " + Markdown.text(s.undo()));
            line("");
        }
        switch (s.marker()) {
            case ROLLBACK_POINT -> {
                line("   > ⟲ **ROLLBACK POINT** — a failure after this step returns to a running old cluster.");
                line("");
            }
            case POINT_OF_NO_RETURN -> {
                line("   > ⛔ **POINT OF NO RETURN** — from this step on, the way back is a backup or a standby.");
                line("");
            }
            case REVERSE_CUTOVER -> {
                line("   > ⇄ **REVERSE CUTOVER FROM HERE** — clients work on the new cluster; the old one is kept current"
                        + " by reverse replication, and the way back is `pgmigrate rollback`, the cutover in reverse"
                        + " (nothing written on the new cluster is lost).");
                line("");
            }
            default -> {
            }
        }
    }

    /** How an interrupted run is looked at, in words; null when running it again is all (retry-safe). */
    private static String resume(Step s) {
        Completion c = s.completion();
        if (c instanceof Completion.FreshDirectory f) {
            return "what is in " + Markdown.code(f.path()) + " is removed and it runs again.";
        }
        if (c instanceof Completion.ClusterShutDown d) {
            return "done when pg_controldata of " + Markdown.code(d.dataDir()) + " says shut down; run again while the server"
                    + " still runs.";
        }
        if (c instanceof Completion.OutputFiles o) {
            return "done only when " + Markdown.code(o.doneFile()) + " exists and is newer than the step's start; otherwise pgmigrate"
                    + " stops and says so. Before it starts, " + java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(o.doneFile()), o.removeBefore().stream()).map(Markdown::code)
                    .collect(Collectors.joining(", ")) + " left by an earlier attempt are removed.";
        }
        if (c instanceof Completion.ServerAnswers a) {
            return "done when a PostgreSQL " + a.major() + " server answers on the " + a.endpoint().name().toLowerCase()
                    + " endpoint; otherwise it is started.";
        }
        if (c instanceof Completion.PathGone g) {
            return "done when " + Markdown.code(g.path()) + " is gone; otherwise the rest is deleted.";
        }
        if (c instanceof Completion.CannotTell) {
            return "pgmigrate cannot tell whether it took effect: it stops and says so.";
        }
        return null;
    }

    private static String indent(String block) {
        return block.lines().map(l -> l.isEmpty() ? "" : "   " + l).collect(Collectors.joining("\n")) + "\n";
    }

    /** 1h 02m 03s, 4m 10s, 12s. */
    public static String human(Duration d) {
        long s = d.getSeconds();
        if (s < 10 && d.toMillis() % 1000 != 0) {
            return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
        }
        if (s >= 3600) {
            return String.format("%dh %02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format("%dm %02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
