package io.pgmigrate.testing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerStatsTest {
    @Test
    void theLongestGapIsBetweenConsecutiveCommitsOfAllConnectionsTogether() {
        // two connections interleaved, given out of order: 0 10 20 | 25 ... 1025 is the pause | 1030 1040
        long[] commits = {20, 0, 1030, 10, 25, 1025 + 0, 1040};
        LedgerStats.Gap gap = LedgerStats.longestGap(commits);
        assertThat(gap).isEqualTo(new LedgerStats.Gap(1000, 25, 1025));
    }

    @Test
    void theGapOfOneConnectionAloneIsHiddenByTheOtherConnectionsCommits() {
        // connection A stalls from 0 to 900, connection B commits every 100 meanwhile: no client-wide outage
        long[] commits = {0, 900, 100, 200, 300, 400, 500, 600, 700, 800};
        assertThat(LedgerStats.longestGap(commits).length()).isEqualTo(100);
    }

    @Test
    void noGapWithFewerThanTwoCommits() {
        assertThat(LedgerStats.longestGap(new long[0])).isEqualTo(LedgerStats.Gap.NONE);
        assertThat(LedgerStats.longestGap(new long[] {42})).isEqualTo(LedgerStats.Gap.NONE);
    }

    @Test
    void theFirstOfEqualGapsIsReported() {
        assertThat(LedgerStats.longestGap(new long[] {0, 5, 10})).isEqualTo(new LedgerStats.Gap(5, 0, 5));
    }

    @Test
    void percentilesAreNearestRankValuesOfTheInput() {
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[99 - i] = i + 1; // 1..100, reversed
        }
        assertThat(LedgerStats.percentile(hundred, 50)).isEqualTo(50);
        assertThat(LedgerStats.percentile(hundred, 90)).isEqualTo(90);
        assertThat(LedgerStats.percentile(hundred, 99)).isEqualTo(99);
        assertThat(LedgerStats.percentile(hundred, 100)).isEqualTo(100);
        assertThat(LedgerStats.percentile(hundred, 0.5)).isEqualTo(1);
    }

    @Test
    void oneSlowTransactionShowsInTheTailNotTheMedian() {
        // ten transactions of 2 ms and one held 3,000 ms by a pause
        long[] lat = {2, 2, 2, 2, 2, 3000, 2, 2, 2, 2, 2};
        assertThat(LedgerStats.distribution(lat)).isEqualTo(List.of(2L, 2L, 3000L, 3000L));
        long[] small = {7, 1, 4};
        assertThat(LedgerStats.distribution(small)).isEqualTo(List.of(4L, 7L, 7L, 7L));
    }

    @Test
    void noValuesGiveZeroAndAPercentileOutsideItsRangeIsRefused() {
        assertThat(LedgerStats.distribution(new long[0])).isEqualTo(List.of(0L, 0L, 0L, 0L));
        assertThatThrownBy(() -> LedgerStats.percentile(new long[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LedgerStats.percentile(new long[] {1}, 101)).isInstanceOf(IllegalArgumentException.class);
    }
}
