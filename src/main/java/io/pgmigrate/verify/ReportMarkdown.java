package io.pgmigrate.verify;

import io.pgmigrate.plan.Markdown;

/**
 * The verification report as Markdown, for the change ticket. Names and messages from the clusters go through
 * {@link Markdown}: they read as text, never as Markdown or HTML.
 */
public final class ReportMarkdown {
    private ReportMarkdown() {
    }

    private static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    public static String render(VerificationReport r) {
        StringBuilder b = new StringBuilder();
        b.append("# Verification of ").append(r.plan()).append(": ").append(r.passed() ? "PASSED" : "FAILED").append("\n\n");
        b.append("| | |\n|---|---|\n");
        boolean live = r.planDigest() == null;
        if (live) {
            b.append("| compared | two live clusters of the inventory (`verify --live`), no plan involved |\n");
        } else {
            b.append("| plan digest | `").append(r.planDigest()).append("` |\n");
        }
        b.append(live ? "| source (old) | PostgreSQL " : "| old cluster | PostgreSQL ").append(r.oldVersion())
                .append(live ? ", measured " : ", baseline taken ")
                .append(r.baselineTakenAt()).append(" in ").append(seconds(r.baselineMillis())).append(" |\n");
        b.append(live ? "| target (new) | PostgreSQL " : "| new cluster | PostgreSQL ").append(r.newVersion())
                .append(", measured ").append(r.createdAt())
                .append(" in ").append(seconds(r.verifyMillis())).append(" |\n");
        if (r.outage() != null) {
            b.append("| measured write outage | ").append(r.outage()).append(" |\n");
        }
        if (r.untilHighlyAvailable() != null) {
            b.append("| highly available again after | ").append(r.untilHighlyAvailable())
                    .append(" (from the outage's start until every standby streamed with no lag) |\n");
        }
        b.append("\n| check | result | summary |\n|---|---|---|\n");
        for (CheckResult c : r.checks()) {
            b.append("| ").append(c.check()).append(" | ").append(c.verdict()).append(" | ")
                    .append(Markdown.text(c.summary())).append(" |\n");
        }
        for (CheckResult c : r.checks()) {
            if (c.problems().isEmpty() && c.notes().isEmpty()) {
                continue;
            }
            b.append("\n## ").append(c.check()).append(" — ").append(c.verdict()).append("\n\n");
            c.problems().forEach(p -> b.append("- **").append(Markdown.text(p)).append("**\n"));
            for (String n : c.notes()) {
                if (n.contains("\n")) {
                    int nl = n.indexOf('\n');
                    b.append("- ").append(Markdown.text(n.substring(0, nl))).append("\n\n")
                            .append(Markdown.fenced("", n.substring(nl + 1)));
                } else {
                    b.append("- ").append(Markdown.text(n)).append('\n');
                }
            }
        }
        return b.toString();
    }
}
