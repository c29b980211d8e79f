package io.pgmigrate.verify;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CheckResultTest {
    @Test
    void aSoftenedFailureWarnsWithTheReasonAndKeepsItsProblems() {
        CheckResult failed = CheckResult.of("row counts", "2 tables", List.of("db shop: public.a has 3 rows, 2 before (+1)"),
                List.of(), List.of("a note"));
        CheckResult soft = failed.softened("measured on live data");
        assertThat(soft.verdict()).isEqualTo(CheckResult.Verdict.WARNING);
        assertThat(soft.problems()).isEqualTo(failed.problems());
        assertThat(soft.notes()).containsExactly("a note", "measured on live data");
    }

    @Test
    void onlyFailuresAreSoftened() {
        CheckResult passed = CheckResult.of("row counts", "2 tables", List.of(), List.of(), List.of());
        assertThat(passed.softened("why")).isSameAs(passed);
        CheckResult pending = CheckResult.pending("schema", "later");
        assertThat(pending.softened("why")).isSameAs(pending);
    }
}
