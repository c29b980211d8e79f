package io.pgmigrate.verify;

import io.pgmigrate.verify.Bisection.Bucket;
import io.pgmigrate.verify.Bisection.KeyedRow;
import io.pgmigrate.verify.DifferingRow.Change;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BisectionTest {
    @Test
    void stepCutsIntoAboutFanoutBuckets() {
        assertThat(Bisection.step(10_000_000, 16)).isEqualTo(625_000);
        assertThat(Bisection.step(1001, 16)).isEqualTo(63);
        assertThat(Bisection.step(5, 16)).isEqualTo(1);
        assertThat(Bisection.step(0, 16)).isEqualTo(1);
    }

    @Test
    void aBucketDiffersByRowsByHashOrByExistingOnOneSideOnly() {
        List<Bucket> before = List.of(new Bucket(0, 10, "5"), new Bucket(1, 10, "6"), new Bucket(2, 10, "7"),
                new Bucket(4, 1, "9"));
        List<Bucket> after = List.of(new Bucket(0, 10, "5"), new Bucket(1, 10, "-6"), new Bucket(2, 9, "7"),
                new Bucket(3, 1, "8"));
        assertThat(Bisection.differing(before, after)).containsExactly(1, 2, 3, 4);
        assertThat(Bisection.differing(before, before)).isEmpty();
    }

    @Test
    void bucketRangesRunFromBoundaryToBoundaryInsideTheParent() {
        KeyRange parent = new KeyRange(List.of("10"), List.of("90"));
        List<List<String>> bounds = List.of(List.of("30"), List.of("60"));
        assertThat(Bisection.bucketRange(parent, bounds, 0)).isEqualTo(new KeyRange(List.of("10"), List.of("30")));
        assertThat(Bisection.bucketRange(parent, bounds, 1)).isEqualTo(new KeyRange(List.of("30"), List.of("60")));
        assertThat(Bisection.bucketRange(parent, bounds, 2)).isEqualTo(new KeyRange(List.of("60"), List.of("90")));
        assertThat(Bisection.bucketRange(KeyRange.ALL, bounds, 0).toString()).isEqualTo("[start, (30))");
        assertThat(Bisection.bucketRange(KeyRange.ALL, bounds, 2).toString()).isEqualTo("[(60), end)");
        assertThatThrownBy(() -> Bisection.bucketRange(parent, bounds, 3)).hasMessage("bucket 3 of 3");
    }

    @Test
    void rowsDifferWhenLostAddedOrChanged() {
        List<KeyedRow> before = List.of(row("a", "1", "h1"), row("a", "2", "h2"), row("b", "1", "h3"));
        List<KeyedRow> after = List.of(row("a", "1", "h1"), row("a", "2", "H2"), row("c", "9", "h4"));
        assertThat(Bisection.rows(before, after)).containsExactly(
                new DifferingRow(List.of("a", "2"), Change.CHANGED),
                new DifferingRow(List.of("b", "1"), Change.MISSING_AFTER),
                new DifferingRow(List.of("c", "9"), Change.ADDED_AFTER));
        assertThat(Bisection.rows(before, before)).isEmpty();
    }

    private static KeyedRow row(String k1, String k2, String hash) {
        return new KeyedRow(List.of(k1, k2), hash);
    }
}
