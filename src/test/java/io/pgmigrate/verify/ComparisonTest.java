package io.pgmigrate.verify;

import io.pgmigrate.inventory.Inventory.ResultComparison;
import io.pgmigrate.inventory.Inventory.SmokeQuery;
import io.pgmigrate.verify.CheckResult.Verdict;
import io.pgmigrate.verify.PlannerStatistics.RelationStatistics;
import io.pgmigrate.verify.RowCounter.RowCount;
import io.pgmigrate.verify.SmokeQueries.SmokeResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The comparisons of the verification, on hand-made measurements: what passes, what fails, how it is named. */
class ComparisonTest {
    private static RowCount count(String table, long rows, boolean exact, boolean unlogged) {
        return new RowCount(new TableRef("shop", "public", table), "table", unlogged, rows, exact, 1);
    }

    @Test
    void equalCountsPassAndEachDifferenceIsNamed() {
        List<RowCount> before = List.of(count("orders", 100, true, false), count("items", 5, true, false),
                count("gone", 1, true, false), count("cache", 7, true, true));
        assertThat(RowCountCheck.compare(before, before)).extracting(CheckResult::verdict)
                .containsExactly(Verdict.PASSED, Verdict.PASSED);

        List<RowCount> after = List.of(count("orders", 99, true, false), count("items", 5, true, false),
                count("extra", 2, true, false), count("cache", 0, true, true));
        List<CheckResult> r = RowCountCheck.compare(before, after);
        assertThat(r.get(0).verdict()).isEqualTo(Verdict.FAILED);
        assertThat(r.get(0).problems()).containsExactlyInAnyOrder(
                "db shop: public.orders has 99 rows, 100 before (-1)",
                "db shop: public.gone is missing (1 rows before)",
                "db shop: public.extra is new (2 rows), it was not there before");
        assertThat(r.get(1).check()).isEqualTo("row counts of unlogged tables");
        assertThat(r.get(1).problems()).containsExactly("db shop: public.cache has 0 rows, 7 before (-7)");
    }

    @Test
    void estimatesAreLabelledAndNeverFail() {
        CheckResult r = RowCountCheck.compare(List.of(count("big", 1_000_000, false, false)),
                List.of(count("big", 999_000, false, false))).get(0);
        assertThat(r.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(r.summary()).contains("1 estimated (fast mode, labelled)");
        assertThat(r.notes()).singleElement().asString().contains("estimates, not counts");
    }

    private static PlannerStatistics stats(long reltuples, List<String> columns, List<String> extended) {
        return new PlannerStatistics("shop", Map.of("public.orders", new RelationStatistics(reltuples, 10, columns)),
                extended);
    }

    @Test
    void statisticsCoverageIsCountedAndMissingStatisticsAreNamed() {
        PlannerStatistics before = stats(500, List.of("id", "total"), List.of("public.orders_stx"));
        CheckResult same = StatisticsCheck.compare(List.of(before), List.of(stats(500, List.of("id", "total"),
                List.of("public.orders_stx"))));
        assertThat(same.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(same.summary()).isEqualTo("statistics for 2 of 2 columns (100.0%) and size estimates for 1 of 1 tables");

        CheckResult lost = StatisticsCheck.compare(List.of(before), List.of(stats(-1, List.of("id"), List.of())));
        assertThat(lost.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(lost.problems()).containsExactly(
                "db shop: public.orders has no size estimates (reltuples), it had 500 rows before: run ANALYZE on it",
                "db shop: public.orders has no column statistics for total: run ANALYZE on it");
        assertThat(lost.summary()).startsWith("statistics for 1 of 2 columns (50.0%)");
        assertThat(lost.notes()).anyMatch(n -> n.contains("extended statistics public.orders_stx have no data yet"))
                .anyMatch(n -> n.contains("cumulative statistics"));
    }

    private static SmokeResult smoke(String digest, long rows, long millis, String error) {
        return new SmokeResult("q", "shop", rows, digest, List.of("1:a"), millis, "Seq Scan on orders", error);
    }

    @Test
    void smokeQueriesCompareAsDeclaredAndWarnOnASlowdown() {
        SmokeQuery exact = new SmokeQuery("q", "shop", "select 1", ResultComparison.EXACT);
        SmokeQuery rows = new SmokeQuery("q", "shop", "select 1", ResultComparison.ROW_COUNT);
        assertThat(SmokeQueryCheck.compare(List.of(exact), List.of(smoke("a", 1, 10, null)),
                List.of(smoke("a", 1, 12, null))).verdict()).isEqualTo(Verdict.PASSED);
        assertThat(SmokeQueryCheck.compare(List.of(exact), List.of(smoke("a", 1, 10, null)),
                List.of(smoke("b", 1, 10, null))).problems()).singleElement().asString()
                .startsWith("'q' (db shop) returns different rows");
        assertThat(SmokeQueryCheck.compare(List.of(rows), List.of(smoke("a", 1, 10, null)),
                List.of(smoke("b", 1, 10, null))).verdict()).isEqualTo(Verdict.PASSED);
        assertThat(SmokeQueryCheck.compare(List.of(exact), List.of(smoke("a", 1, 10, null)),
                List.of(smoke(null, 0, 0, "relation \"orders\" does not exist"))).problems()).singleElement()
                .asString().contains("failed after: relation \"orders\" does not exist");

        CheckResult slow = SmokeQueryCheck.compare(List.of(exact), List.of(smoke("a", 1, 100, null)),
                List.of(smoke("a", 1, 400, null)));
        assertThat(slow.verdict()).isEqualTo(Verdict.WARNING);
        assertThat(slow.problems()).containsExactly("'q' (db shop) is slower: 400 ms, 100 ms before");
        assertThat(slow.notes()).singleElement().asString().contains("plan before:", "plan after:", "Seq Scan");
        // a few milliseconds are noise, whatever the ratio
        assertThat(SmokeQueryCheck.compare(List.of(exact), List.of(smoke("a", 1, 2, null)),
                List.of(smoke("a", 1, 20, null))).verdict()).isEqualTo(Verdict.PASSED);
        assertThat(SmokeQueryCheck.compare(List.of(), List.of(), List.of()).verdict()).isEqualTo(Verdict.SKIPPED);
    }

    @Test
    void theMarkdownReportSaysPassedOrFailedAndListsEveryProblem() {
        CheckResult failed = CheckResult.of("row counts", "2 tables", List.of("db shop: public.orders has 1 rows"),
                List.of(), List.of());
        CheckResult slow = CheckResult.of("smoke queries", "1 query", List.of(), List.of("'q' is slower"),
                List.of("'q' plan before:\nSeq Scan\nplan after:\nIndex Scan"));
        VerificationReport r = new VerificationReport("shop", "sha256:abc", java.time.Instant.EPOCH, "15.8", "18.1",
                java.time.Instant.EPOCH, 1500, 1700, "42 s", List.of(failed, slow));
        assertThat(r.passed()).isFalse();
        String md = ReportMarkdown.render(r);
        assertThat(md).startsWith("# Verification of shop: FAILED").contains("`sha256:abc`", "| measured write outage | 42 s |",
                "| row counts | FAILED | 2 tables |", "in 1.5 s", "in 1.7 s", "**db shop: public.orders has 1 rows**", "```\nSeq Scan\nplan after:");
        assertThat(new VerificationReport("shop", "d", null, "15", "18", null, 0, 0, null, List.of(slow)).passed()).isTrue();
    }

    /** A table whose name carries a newline, HTML or a link stays one line of text in the report. */
    @Test
    void hostileNamesInTheReportReadAsText() {
        String evil = "public.\"t\n## PASSED <script>x</script> | [ok](http://evil)\"";
        CheckResult c = CheckResult.of("row counts", "1 table: " + evil, List.of("db shop: " + evil + " has 1 rows"),
                List.of(), List.of("plan of " + evil + ":\nSeq Scan on " + evil + "\n```\n# not a heading"));
        String md = ReportMarkdown.render(new VerificationReport("shop", "d", java.time.Instant.EPOCH, "15", "18",
                java.time.Instant.EPOCH, 0, 0, null, List.of(c)));
        // outside the fenced note, no line starts a heading or holds raw HTML
        String prose = md.substring(0, md.indexOf("````\n"));
        assertThat(prose.lines()).noneMatch(l -> l.startsWith("## PASSED")).noneMatch(l -> l.matches(".*(?<!\\\\)<script>.*"));
        assertThat(md).contains("| row counts | FAILED | 1 table: public.\"t\\\\n## PASSED \\<script>x\\</script> \\|"
                + " \\[ok\\](http://evil)\" |");
        assertThat(md).contains("````\n## PASSED <script>x</script> | [ok](http://evil)\":\nSeq Scan on public.\"t\n", "```\n# not a heading\n````\n");
    }

    @Test
    void partsMeasuredAtDifferentTimesMergeAndWhatIsMissingIsPending() {
        List<RowCount> counts = List.of(count("orders", 100, true, false));
        ClusterSnapshot catalog = new ClusterSnapshot(java.time.Instant.EPOCH, 100, "15.8", null, null, null,
                List.of(new SchemaInventory("shop", 150008, List.of())), null, null);
        ClusterSnapshot data = new ClusterSnapshot(java.time.Instant.EPOCH.plusSeconds(60), 50, "15.8", counts,
                List.of(), List.of(), null, List.of(), null);
        ClusterSnapshot both = catalog.with(data);
        assertThat(both.rowCounts()).isEqualTo(counts);
        assertThat(both.schemas()).isEqualTo(catalog.schemas());
        assertThat(both.millis()).isEqualTo(150);
        assertThat(both.takenAt()).isEqualTo(data.takenAt());

        Verification v = new Verification(new Verification.Settings(io.pgmigrate.inventory.Inventory.RowCountMode.EXACT,
                true, false, 2, List.of()), java.time.Clock.systemUTC());
        List<CheckResult> soFar = v.compare(both, data);
        assertThat(soFar).filteredOn(c -> c.check().equals("schema")).singleElement()
                .satisfies(c -> assertThat(c.verdict()).isEqualTo(Verdict.PENDING));
        assertThat(soFar).filteredOn(c -> c.check().equals("row counts")).singleElement()
                .satisfies(c -> assertThat(c.verdict()).isEqualTo(Verdict.PASSED));
        assertThat(new VerificationReport("shop", "d", null, "15", "18", null, 0, 0, null, soFar).passed()).isTrue();
    }
}
