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

    @Test
    void durationsAndSizesReadLikeADbaWritesThem() {
        assertThat(PlanMarkdown.human(Duration.ofSeconds(12))).isEqualTo("12s");
        assertThat(PlanMarkdown.human(Duration.ofSeconds(250))).isEqualTo("4m 10s");
        assertThat(PlanMarkdown.human(Duration.ofSeconds(3723))).isEqualTo("1h 02m");
        assertThat(PlanMarkdown.render(withFinding(Finding.info("x", "y", "z")))).contains("| 1.9 GiB |");
    }
}
