package io.pgmigrate.plan;

import java.util.List;
import java.util.Map;

/**
 * What identifies the source cluster the plan was made for; {@code execute} compares it with the
 * live cluster and refuses a stale plan.
 */
public record Fingerprint(String systemIdentifier, String serverVersion, boolean dataChecksums,
                          String dataDirectory, List<Database> databases, Map<String, String> settings) {
    public record Database(String name, String encoding, String collate, String ctype, long sizeBytes,
                           long relations, List<String> extensions) {
    }
}
