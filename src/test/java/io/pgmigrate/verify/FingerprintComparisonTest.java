package io.pgmigrate.verify;

import io.pgmigrate.verify.FingerprintCheck.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FingerprintComparisonTest {
    private static final HashSelfTest.Outcome TRUSTED = new HashSelfTest.Outcome(true, List.of(), "same");
    private static final HashSelfTest.Outcome UNTRUSTED = HashSelfTest.compare(
            new HashSelfTest.Result("15.18", Map.of("numeric", "1", "int4", "2")),
            new HashSelfTest.Result("18.6", Map.of("numeric", "9", "int4", "2")));

    private static TableFingerprint fp(String table, long rows, String hash, String columns) {
        return new TableFingerprint(new TableRef("shop", "public", table), rows, hash, columns, Duration.ofMillis(5));
    }

    @Test
    void eachTableGetsOneVerdictInTableOrder() {
        List<FingerprintCheck> checks = FingerprintComparison.compare(
                List.of(fp("same", 3, "123", "c1"), fp("changed", 3, "123", "c1"), fp("lost row", 3, "123", "c1"),
                        fp("gone", 1, "5", "c1"), fp("altered", 3, "123", "c1")),
                List.of(fp("same", 3, "123", "c1"), fp("changed", 3, "124", "c1"), fp("lost row", 2, "100", "c1"),
                        fp("new", 0, "0", "c1"), fp("altered", 3, "999", "c2")),
                TRUSTED);
        assertThat(checks).extracting(c -> c.table().name() + ": " + c.verdict() + ": " + c.detail()).containsExactly(
                "altered: NOT_COMPARABLE: columns differ between the clusters (see the schema comparison): fingerprints not comparable",
                "changed: DIFFERENT: same 3 rows, but their contents differ",
                "gone: MISSING_AFTER: missing after (1 rows before)",
                "lost row: DIFFERENT: 2 rows after, 3 before",
                "new: NEW_AFTER: not fingerprinted before (0 rows after)",
                "same: SAME: same 3 rows");
        assertThat(checks).filteredOn(c -> c.verdict().fails()).extracting(c -> c.table().name())
                .containsExactly("changed", "gone", "lost row");
    }

    @Test
    void anUntrustedSelfTestTurnsAHashDifferenceIntoNoVerdictButNotACountDifference() {
        assertThat(UNTRUSTED.trusted()).isFalse();
        assertThat(UNTRUSTED.differing()).containsExactly("numeric");
        assertThat(FingerprintComparison.compare(List.of(fp("t", 3, "1", "c")), List.of(fp("t", 3, "2", "c")), UNTRUSTED))
                .singleElement().satisfies(c -> {
                    assertThat(c.verdict()).isEqualTo(Verdict.NOT_TRUSTED);
                    assertThat(c.verdict().fails()).isFalse();
                    assertThat(c.detail()).isEqualTo("same 3 rows, fingerprint differs, but PostgreSQL 15.18 and 18.6 "
                            + "hash the same values differently (numeric): fingerprint differences between them are "
                            + "not evidence of different data");
                });
        assertThat(FingerprintComparison.compare(List.of(fp("t", 3, "1", "c")), List.of(fp("t", 2, "2", "c")), UNTRUSTED))
                .singleElement().extracting(FingerprintCheck::verdict).isEqualTo(Verdict.DIFFERENT);
        assertThat(FingerprintComparison.compare(List.of(fp("t", 3, "1", "c")), List.of(fp("t", 3, "1", "c")), UNTRUSTED))
                .singleElement().extracting(FingerprintCheck::verdict).isEqualTo(Verdict.SAME);
    }

    @Test
    void slicesOfATableAddUp() {
        TableFingerprint a = fp("t", 2, "9223372036854775807", "c");
        TableFingerprint b = fp("t", 3, "9223372036854775807", "c");
        TableFingerprint sum = a.plus(b);
        assertThat(sum.rows()).isEqualTo(5);
        assertThat(sum.hash()).isEqualTo("18446744073709551614");
        assertThat(sum.took()).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void selfTestsOfDifferentValueSetsAreNotTrusted() {
        HashSelfTest.Outcome o = HashSelfTest.compare(new HashSelfTest.Result("15.18", Map.of("a", "1")),
                new HashSelfTest.Result("18.6", Map.of("a", "1", "b", "2")));
        assertThat(o.trusted()).isFalse();
        assertThat(o.detail()).contains("cover different values");
        assertThat(HashSelfTest.compare(new HashSelfTest.Result("15.18", Map.of("a", "1")),
                new HashSelfTest.Result("18.6", Map.of("a", "1"))).trusted()).isTrue();
    }
}
