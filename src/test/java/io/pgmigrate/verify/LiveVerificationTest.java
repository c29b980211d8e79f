package io.pgmigrate.verify;

import io.pgmigrate.verify.DifferingRow.Change;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LiveVerificationTest {
    private static final TableRef T = new TableRef("shop", "public", "orders");

    @Test
    void aDatabaseMissingOnTheTargetFailsOneOnlyThereWarns() {
        CheckResult c = LiveVerification.databases(List.of("app", "shop"), List.of("postgres", "shop"));
        assertThat(c.verdict()).isEqualTo(CheckResult.Verdict.FAILED);
        assertThat(c.problems()).containsExactly("db app: missing on the target", "db postgres: only on the target");
        assertThat(LiveVerification.databases(List.of("shop"), List.of("shop")).verdict())
                .isEqualTo(CheckResult.Verdict.PASSED);
    }

    @Test
    void narrowedRowsAreNamedByTheirKeys() {
        Narrowing n = new Narrowing(T, List.of("tenant", "id"), List.of(new DifferingRow(List.of("a", "7"),
                Change.MISSING_AFTER), new DifferingRow(List.of("b", "9"), Change.CHANGED),
                new DifferingRow(List.of("c", "1"), Change.ADDED_AFTER)), true, null, 12, Duration.ZERO);
        assertThat(LiveNarrowing.describe(n)).isEqualTo("db shop: public.orders: differing rows by key (tenant, id):"
                + " (a, 7) missing on the target, (b, 9) changed, (c, 1) only on the target, and more (12 queries)");
        assertThat(LiveNarrowing.describe(Narrowing.not(T, "it has no primary key", Duration.ZERO)))
                .isEqualTo("db shop: public.orders: not narrowed down to rows: it has no primary key");
    }

    @Test
    void tablesBeyondTheLimitAreCountedNotNarrowed() {
        LiveNarrowing.Result r = new LiveNarrowing.Result(List.of(Narrowing.not(T, "x", Duration.ZERO)), 3);
        assertThat(r.notes()).containsExactly("db shop: public.orders: not narrowed down to rows: x",
                "2 more differing table(s) not narrowed down (at most 10 are)");
    }
}
