package io.pgmigrate.replication;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceValueTest {
    private static SequenceValue up(long last, boolean called) {
        return new SequenceValue("public", "invoice_no", last, called, 7, 1, Long.MAX_VALUE);
    }

    private static SequenceValue down(long last, boolean called) {
        return new SequenceValue("s", "count down", last, called, -1, -1000, 0);
    }

    @Test
    void theNextValueFollowsIsCalled() {
        assertThat(up(1000, false).nextValue()).isEqualTo(BigInteger.valueOf(1000));
        assertThat(up(1000, true).nextValue()).isEqualTo(BigInteger.valueOf(1007));
        assertThat(down(-5, true).nextValue()).isEqualTo(BigInteger.valueOf(-6));
    }

    @Test
    void aGapOfZeroCopiesTheStateAndAGapMovesTheNextValueByThatManyIncrements() {
        assertThat(up(1000, true).withGap(0)).isEqualTo(up(1000, true));
        assertThat(up(1000, true).withGap(10)).isEqualTo(up(1077, false));
        assertThat(down(-5, true).withGap(10)).isEqualTo(down(-16, false));
        // held at the bound rather than refused by setval
        assertThat(down(-995, true).withGap(100).lastValue()).isEqualTo(-1000);
        assertThat(new SequenceValue("p", "s", Long.MAX_VALUE - 3, true, 1, 1, Long.MAX_VALUE).withGap(10).lastValue())
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void behindMeansGreenWouldHandOutAValueBlueAlreadyUsed() {
        assertThat(up(1000, true).behind(up(1007, true))).isTrue();
        assertThat(up(1007, false).behind(up(1000, true))).isFalse();
        assertThat(down(-5, true).behind(down(-9, true))).isTrue();
        assertThat(down(-9, true).behind(down(-5, true))).isFalse();
    }

    @Test
    void theComparisonListsSequencesBehindOrMissingOnGreen() {
        List<SequenceValue> blue = List.of(up(1000, true), down(-9, true),
                new SequenceValue("public", "orders_id_seq", 5, true, 1, 1, 100));
        List<SequenceValue> green = List.of(up(2000, true), down(-5, true));
        assertThat(Sequences.behind(blue, green)).extracting(SequenceBehind::describe).containsExactly(
                "s.count down: next value -6 on green, -10 on blue",
                "public.orders_id_seq: missing on green");
    }
}
