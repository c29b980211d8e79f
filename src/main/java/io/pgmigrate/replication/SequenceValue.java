package io.pgmigrate.replication;

import io.pgmigrate.pg.SqlIdentifiers;

import java.math.BigInteger;

/**
 * A sequence's state: {@code last_value} and {@code is_called} as the sequence itself holds them, with
 * its increment and bounds.
 */
public record SequenceValue(String schema, String name, long lastValue, boolean isCalled, long increment,
                            long minValue, long maxValue) {
    public String qualifiedName() {
        return SqlIdentifiers.qualified(schema, name);
    }

    /** The key two clusters' sequences are matched by. */
    public String key() {
        return schema + "." + name;
    }

    /**
     * The value {@code nextval} returns next (past the bound for an exhausted sequence without CYCLE;
     * a cycling one wraps, which this does not model).
     */
    public BigInteger nextValue() {
        BigInteger last = BigInteger.valueOf(lastValue);
        return isCalled ? last.add(BigInteger.valueOf(increment)) : last;
    }

    /** True when this sequence's next value comes before the other's: it would hand out a value the other already did. */
    public boolean behind(SequenceValue other) {
        int c = nextValue().compareTo(other.nextValue());
        return increment > 0 ? c < 0 : c > 0;
    }

    /**
     * What to set on the other side so that its next value is this one's next value plus {@code gap}
     * increments: {@code setval(seq, value, isCalled)}. Gap 0 copies the state exactly. A value past the
     * sequence's bound is held at the bound.
     */
    public SequenceValue withGap(long gap) {
        if (gap < 0) {
            throw new IllegalArgumentException("a safety gap is not negative: " + gap);
        }
        if (gap == 0) {
            return this;
        }
        BigInteger next = nextValue().add(BigInteger.valueOf(increment).multiply(BigInteger.valueOf(gap)));
        BigInteger min = BigInteger.valueOf(minValue);
        BigInteger max = BigInteger.valueOf(maxValue);
        BigInteger held = next.max(min).min(max);
        return new SequenceValue(schema, name, held.longValueExact(), false, increment, minValue, maxValue);
    }
}
