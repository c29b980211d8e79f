package io.pgmigrate.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * Patroni's REST answers read into the transport's records. Tolerant of what a version leaves out (3.0.2 omits
 * {@code pause}, {@code pending_restart} and {@code lag} when there is nothing to say, and {@code name} in
 * {@code /patroni} altogether); strict about what must be there (a member's name, an answer that is a JSON object).
 */
final class PatroniJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PatroniJson() {
    }

    static PatroniNode node(String body) {
        JsonNode n = object(body, "/patroni");
        JsonNode patroni = n.path("patroni");
        List<PatroniNode.Sender> senders = new ArrayList<>();
        for (JsonNode s : n.path("replication")) {
            senders.add(new PatroniNode.Sender(text(s, "application_name"), text(s, "client_addr"), text(s, "state"),
                    text(s, "sync_state")));
        }
        return new PatroniNode(text(patroni, "scope"), text(n, "name"), text(patroni, "version"),
                PatroniRole.of(text(n, "role")), text(n, "state"), integer(n, "server_version"),
                text(n, "database_system_identifier"), integer(n, "timeline"), n.path("pending_restart").asBoolean(),
                n.path("pause").asBoolean(), senders);
    }

    static PatroniTopology topology(String body) {
        JsonNode n = object(body, "/cluster");
        List<PatroniMember> members = new ArrayList<>();
        for (JsonNode m : n.path("members")) {
            String name = text(m, "name");
            if (name == null) {
                throw new IllegalArgumentException("a member without a name in " + m);
            }
            JsonNode lag = m.path("lag");
            members.add(new PatroniMember(name, PatroniRole.of(text(m, "role")), text(m, "role"), text(m, "state"),
                    text(m, "host"), m.path("port").asInt(0), text(m, "api_url"),
                    lag.isIntegralNumber() ? lag.asLong() : null, integer(m, "timeline"),
                    m.path("pending_restart").asBoolean()));
        }
        return new PatroniTopology(members, n.path("pause").asBoolean());
    }

    /** The {@code pause} value of the dynamic configuration {@code PATCH /config} answers with. */
    static boolean configPaused(String body) {
        return object(body, "/config").path("pause").asBoolean();
    }

    /** The dynamic configuration's {@code postgresql.parameters} ({@code GET /config}) set to a value, by name. */
    static java.util.SortedMap<String, String> parameters(String body) {
        JsonNode params = object(body, "/config").path("postgresql").path("parameters");
        java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
        if (params.isObject()) {
            params.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) { // null: not set (how edit-config removes one)
                    out.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        return out;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode object(String body, String what) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException(what + " is not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Integer integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isIntegralNumber() ? v.asInt() : null;
    }
}
