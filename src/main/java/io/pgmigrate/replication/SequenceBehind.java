package io.pgmigrate.replication;

import java.math.BigInteger;

/** A sequence whose next value on green is not past blue's (greenNext null: it does not exist on green). */
public record SequenceBehind(String schema, String name, BigInteger blueNext, BigInteger greenNext) {
    public String describe() {
        return schema + "." + name + ": " + (greenNext == null ? "missing on green"
                : "next value " + greenNext + " on green, " + blueNext + " on blue");
    }
}
