package io.pgmigrate.pg;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A WAL position, written by PostgreSQL as two hex halves: {@code 16/B374D848}. */
public record Lsn(long value) implements Comparable<Lsn> {
    @JsonCreator
    public static Lsn parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("not an LSN: '" + text + "'");
        }
        long hi = Long.parseUnsignedLong(text.substring(0, slash).trim(), 16);
        long lo = Long.parseUnsignedLong(text.substring(slash + 1).trim(), 16);
        return new Lsn(hi << 32 | lo);
    }

    public long bytesAfter(Lsn earlier) {
        return value - earlier.value;
    }

    @Override
    public int compareTo(Lsn o) {
        return Long.compareUnsigned(value, o.value);
    }

    @JsonValue
    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
    }
}
