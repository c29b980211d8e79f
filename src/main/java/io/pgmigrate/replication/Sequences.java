package io.pgmigrate.replication;

import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Logical replication does not carry sequences: at the frozen point every sequence's state is read on blue
 * and set on green. Every sequence of the database counts (owned by a column or not, identity columns'
 * too), temporary ones aside. One session per database.
 */
public final class Sequences {
    private static final int BATCH = 100;
    private static final String CATALOG = "SELECT n.nspname AS schema, c.relname AS name,"
            + " q.seqincrement AS increment, q.seqmin AS min, q.seqmax AS max"
            + " FROM pg_catalog.pg_sequence q"
            + " JOIN pg_catalog.pg_class c ON c.oid = q.seqrelid"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relpersistence <> 't' ORDER BY 1, 2";

    private Sequences() {
    }

    /** Every sequence's {@code last_value}, {@code is_called}, increment and bounds, read from the sequences themselves. */
    public static List<SequenceValue> read(SqlSession s) {
        List<SqlRow> catalog = s.query(CATALOG);
        List<SequenceValue> out = new ArrayList<>(catalog.size());
        for (int from = 0; from < catalog.size(); from += BATCH) {
            List<SqlRow> batch = catalog.subList(from, Math.min(catalog.size(), from + BATCH));
            List<String> selects = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                SqlRow r = batch.get(i);
                selects.add("SELECT " + i + " AS i, last_value, is_called FROM "
                        + SqlIdentifiers.qualified(r.get("schema"), r.get("name")));
            }
            List<SqlRow> values = s.query(String.join(" UNION ALL ", selects) + " ORDER BY i");
            for (SqlRow v : values) {
                SqlRow r = batch.get(Integer.parseInt(v.get("i")));
                out.add(new SequenceValue(r.get("schema"), r.get("name"), v.getLong("last_value"),
                        v.getBool("is_called"), r.getLong("increment"), r.getLong("min"), r.getLong("max")));
            }
        }
        return out;
    }

    /**
     * Sets each sequence on this side ({@code setval}) so that its next value is blue's next value plus
     * {@code gap} increments (0: exactly blue's state). Returns the sequences of {@code blue} that do not
     * exist here (nothing was set for them): a schema difference to fix before the switch.
     */
    public static List<SequenceValue> write(SqlSession green, List<SequenceValue> blue, long gap) {
        Map<String, SequenceValue> present = byKey(read(green));
        List<SequenceValue> missing = new ArrayList<>();
        for (SequenceValue b : blue) {
            if (!present.containsKey(b.key())) {
                missing.add(b);
                continue;
            }
            SequenceValue target = b.withGap(gap);
            green.query("SELECT pg_catalog.setval(?::text::regclass, ?::bigint, ?::boolean) AS v",
                    target.qualifiedName(), target.lastValue(), target.isCalled());
        }
        return missing;
    }

    /** The sequences of blue whose next value on green is not at or past blue's, or that green lacks. */
    public static List<SequenceBehind> behind(List<SequenceValue> blue, List<SequenceValue> green) {
        Map<String, SequenceValue> g = byKey(green);
        List<SequenceBehind> out = new ArrayList<>();
        for (SequenceValue b : blue) {
            SequenceValue other = g.get(b.key());
            if (other == null) {
                out.add(new SequenceBehind(b.schema(), b.name(), b.nextValue(), null));
            } else if (other.behind(b)) {
                out.add(new SequenceBehind(b.schema(), b.name(), b.nextValue(), other.nextValue()));
            }
        }
        return out;
    }

    private static Map<String, SequenceValue> byKey(List<SequenceValue> values) {
        Map<String, SequenceValue> m = new LinkedHashMap<>();
        values.forEach(v -> m.put(v.key(), v));
        return m;
    }
}
