package io.pgmigrate.plan;

import io.pgmigrate.planner.Planner;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlanMarkdownTest {
    private static Plan withFinding(Finding f) {
        Plan p = Planner.plan(Inventories.sample(), Facts.healthy().build(), Instant.parse("2026-11-24T10:00:00Z"));
        List<Finding> findings = new ArrayList<>(p.findings());
        findings.add(0, f);
        return new Plan(p.formatVersion(), p.toolVersion(), p.createdAt(), p.name(), p.strategy(), p.mode(),
                p.sourceVersion(), p.targetVersion(), p.fingerprint(), findings, p.estimates(), p.rollbackRules(),
                p.phases(), p.digest());
    }

    @Test
    void blockersComeFirstWithTheirObjectsAndACopyableFix() {
        String md = PlanMarkdown.render(withFinding(Finding.blocker("aclitem-columns", "aclitem in user tables",
                "The on-disk format changed in 16.", List.of("db shop: public.acl_audit.perms (aclitem)"),
                "Change the columns to text:\n-- in database shop:\nALTER TABLE public.acl_audit ALTER COLUMN perms TYPE text;")));
        assertThat(md).contains("**Status: BLOCKED** — 1 blocker must be fixed");
        assertThat(md.indexOf("### Blockers (1)")).isLessThan(md.indexOf("### Notes")).isLessThan(md.indexOf("## Steps"));
        assertThat(md).contains("  - `db shop: public.acl_audit.perms (aclitem)`",
                "  - Fix: Change the columns to text:\n\n    ```sql\n    -- in database shop:\n"
                        + "    ALTER TABLE public.acl_audit ALTER COLUMN perms TYPE text;\n    ```");
    }

    /** A name from the cluster cannot start a heading, add HTML or a link, end a table cell or close the code around it. */
    @Test
    void hostileNamesReadAsText() {
        String evil = "shop\n# Injected <img src=x onerror=alert(1)> | [click](http://evil) ```";
        Facts f = Facts.healthy();
        f.databases.add(Facts.db(evil, 1_000_000L, 1));
        Plan p = Planner.plan(Inventories.sample(), f.build(), Instant.parse("2026-11-24T10:00:00Z"));
        List<Finding> findings = new ArrayList<>(p.findings());
        findings.add(0, Finding.warning("x", "Table " + evil + " is odd", "Because " + evil, List.of(evil),
                "do this:\nSELECT 1; -- " + evil.replace("\n", " ") + "\n```\nDROP DATABASE shop;"));
        String md = PlanMarkdown.render(new Plan(p.formatVersion(), p.toolVersion(), p.createdAt(), p.name(),
                p.strategy(), p.mode(), p.sourceVersion(), p.targetVersion(), p.fingerprint(), findings, p.estimates(),
                p.rollbackRules(), p.phases(), p.digest()));

        assertThat(md.lines()).noneMatch(l -> l.stripLeading().startsWith("# Injected"));
        assertThat(md).contains("- **Table shop\\\\n# Injected \\<img src=x onerror=alert(1)> \\| \\[click\\](http://evil)"
                + " ``` is odd**");
        assertThat(md).contains("  - ```` shop\\n# Injected <img src=x onerror=alert(1)> | [click](http://evil) ``` ````");
        assertThat(md.lines().filter(l -> l.contains("onerror")).filter(l -> l.startsWith("| ")))
                .singleElement().satisfies(row -> assertThat(row.split("(?<!\\\\)\\|", -1)).hasSize(9));
        // the fix's SQL keeps its own ``` line inside a longer fence: the DROP is shown as code, never as prose
        assertThat(md).contains("    ````sql\n    SELECT 1;", "    ```\n    DROP DATABASE shop;\n    ````\n");
    }

    @Test
    void fencesAndCodeSpansOutlastWhatTheyHold() {
        assertThat(Markdown.code("a`b")).isEqualTo("``a`b``");
        assertThat(Markdown.code("`x")).isEqualTo("`` `x ``");
        assertThat(Markdown.code("a\nb\u0007")).isEqualTo("`a\\nb\\x07`");
        assertThat(Markdown.fenced("sh", "echo ```\n````")).startsWith("`````sh\n").endsWith("\n`````\n");
        assertThat(Markdown.text("1. not a list")).isEqualTo("1\\. not a list");
        assertThat(Markdown.text("- not a list")).isEqualTo("\\- not a list");
    }

    @Test
    void durationsAndSizesReadLikeADbaWritesThem() {
        assertThat(PlanMarkdown.human(Duration.ofSeconds(12))).isEqualTo("12s");
        assertThat(PlanMarkdown.human(Duration.ofSeconds(250))).isEqualTo("4m 10s");
        assertThat(PlanMarkdown.human(Duration.ofSeconds(3723))).isEqualTo("1h 02m");
        assertThat(PlanMarkdown.render(withFinding(Finding.info("x", "y", "z")))).contains("| 1.9 GiB |");
    }
}
