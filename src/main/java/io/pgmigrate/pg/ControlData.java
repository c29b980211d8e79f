package io.pgmigrate.pg;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The output of {@code pg_controldata} (run with LC_ALL=C), as key → value, with typed accessors
 * for what pgmigrate decides on.
 */
public record ControlData(Map<String, String> values) {
    public static final String SYSTEM_IDENTIFIER = "Database system identifier";
    public static final String CLUSTER_STATE = "Database cluster state";
    public static final String CHECKSUM_VERSION = "Data page checksum version";
    public static final String WAL_SEGMENT_SIZE = "Bytes per WAL segment";
    public static final String BLOCK_SIZE = "Database block size";
    public static final String CATALOG_VERSION = "Catalog version number";
    public static final String CHECKPOINT_LOCATION = "Latest checkpoint location";
    public static final String FLOAT8_PASSING = "Float8 argument passing";
    public static final String CHAR_SIGNEDNESS = "Default char data signedness";

    @JsonCreator
    public ControlData(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    @JsonValue
    @Override
    public Map<String, String> values() {
        return values;
    }

    public static ControlData parse(String output) {
        Map<String, String> map = new TreeMap<>();
        for (String line : output.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (!key.isEmpty()) {
                map.put(key, value);
            }
        }
        if (!map.containsKey(SYSTEM_IDENTIFIER)) {
            throw new IllegalArgumentException("not pg_controldata output (no '" + SYSTEM_IDENTIFIER + "' line)");
        }
        return new ControlData(map);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String systemIdentifier() {
        return values.get(SYSTEM_IDENTIFIER);
    }

    public String clusterState() {
        return values.getOrDefault(CLUSTER_STATE, "unknown");
    }

    public boolean dataChecksums() {
        return !"0".equals(values.getOrDefault(CHECKSUM_VERSION, "0"));
    }

    public long walSegmentSize() {
        return Long.parseLong(values.getOrDefault(WAL_SEGMENT_SIZE, "16777216"));
    }

    public int blockSize() {
        return Integer.parseInt(values.getOrDefault(BLOCK_SIZE, "8192"));
    }

    public boolean shutDownCleanly() {
        return "shut down".equals(clusterState());
    }

    /** A standby stopped cleanly: its last restartpoint written, at the last checkpoint it replayed. */
    public boolean shutDownInRecovery() {
        return "shut down in recovery".equals(clusterState());
    }
}
