package io.pgmigrate.transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Patroni member's REST API ({@code restapi.listen}, e.g. {@code db1:8008}) over plain HTTP: reads what the
 * member and the cluster look like and makes the two control calls an upgrade needs, pause and switchover. Every
 * failure is a {@link TransportException} whose one line names the URL asked. No authentication: a REST API behind
 * {@code restapi.authentication} refuses the control calls with HTTP 401, which is reported as such.
 */
public final class PatroniRest {
    private final String endpoint;
    private final Duration requestTimeout;
    private final HttpClient http;

    /**
     * @param endpoint       {@code host:port} (an {@code http://} prefix is accepted)
     * @param connectTimeout how long to wait for the TCP connection
     * @param requestTimeout how long to wait for an answer; a switchover answers only once it is done
     */
    public PatroniRest(String endpoint, Duration connectTimeout, Duration requestTimeout) {
        String e = endpoint.strip();
        e = e.startsWith("http://") ? e.substring("http://".length()) : e;
        this.endpoint = e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** 5 s to connect, 60 s to answer (a switchover waits for the new leader). */
    public static PatroniRest at(String endpoint) {
        return new PatroniRest(endpoint, Duration.ofSeconds(5), Duration.ofSeconds(60));
    }

    public String endpoint() {
        return endpoint;
    }

    /** {@code GET /patroni}: the answering member about itself. */
    public PatroniNode node() {
        return parse("/patroni", get("/patroni"), PatroniJson::node);
    }

    /** {@code GET /cluster}: every member, the leader, whether the cluster is paused. */
    public PatroniTopology cluster() {
        return parse("/cluster", get("/cluster"), PatroniJson::topology);
    }

    /** Both, with the answering member's name (Patroni 3.0.2 does not say it in {@code /patroni}). */
    public PatroniStatus status() {
        PatroniNode node = node();
        PatroniTopology cluster = cluster();
        String name = node.name();
        if (name == null) {
            name = cluster.members().stream().filter(m -> authorityOf(m.apiUrl()).equals(endpoint))
                    .map(PatroniMember::name).findFirst().orElse(null);
        }
        return new PatroniStatus(endpoint, name, node, cluster);
    }

    /**
     * {@code GET /config}: the dynamic configuration's {@code postgresql.parameters} set to a value in the DCS (what
     * {@code patronictl edit-config} changes), by name, values as text; empty when it sets none. Patroni 3.0.2 keeps
     * no password there (authentication is in each member's patroni.yml), but a parameter's value may still hold one
     * (an {@code archive_command} with a URL): callers keep only what they need.
     */
    public java.util.SortedMap<String, String> config() {
        return parse("/config", get("/config"), PatroniJson::parameters);
    }

    /**
     * {@code PATCH /config {"pause": paused}}: maintenance mode on or off for the whole cluster. Returns what Patroni
     * stored; the members act on it at their next loop.
     */
    public PatroniPause pause(boolean paused) {
        HttpResponse<String> r = send("PATCH", "/config", PatroniJson.json(Map.of("pause", paused)));
        if (r.statusCode() != 200) {
            throw refused("/config", (paused ? "pausing" : "resuming") + " the cluster", r);
        }
        boolean stored = parse("/config", r.body(), PatroniJson::configPaused);
        if (stored != paused) {
            throw new TransportException("Patroni at " + url("/config") + " stored pause=" + stored + " when asked for "
                    + paused);
        }
        return new PatroniPause(endpoint, stored);
    }

    /**
     * {@code POST /switchover}: {@code candidate} becomes leader in place of {@code leader}. Patroni answers once the
     * candidate has been promoted (HTTP 200) or refuses (412: {@code leader} is not the leader, or no such
     * candidate; 503: it failed).
     */
    public PatroniSwitchover switchover(String leader, String candidate) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("leader", leader);
        body.put("candidate", candidate);
        HttpResponse<String> r = send("POST", "/switchover", PatroniJson.json(body));
        if (r.statusCode() != 200 && r.statusCode() != 202) {
            throw refused("/switchover", "the switchover from " + leader + " to " + candidate, r);
        }
        return new PatroniSwitchover(endpoint, leader, candidate, r.statusCode() == 202, r.body().strip());
    }

    private String get(String path) {
        HttpResponse<String> r = send("GET", path, null);
        if (r.statusCode() != 200) {
            throw new TransportException("Patroni at " + url(path) + " answered HTTP " + r.statusCode() + ": "
                    + firstLine(r.body()));
        }
        return r.body();
    }

    private HttpResponse<String> send(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(requestTimeout);
        if (json == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new TransportException("Patroni at " + url(path) + " did not answer within "
                    + (requestTimeout.toMillis() % 1000 == 0 ? requestTimeout.toSeconds() + " s"
                    : requestTimeout.toMillis() + " ms"), e);
        } catch (IOException e) {
            throw new TransportException("Patroni at " + url(path) + " cannot be reached: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while asking Patroni at " + url(path), e);
        }
    }

    private <T> T parse(String path, String body, java.util.function.Function<String, T> reader) {
        try {
            return reader.apply(body);
        } catch (IllegalArgumentException e) {
            throw new TransportException("Patroni at " + url(path) + " answered what is not Patroni's: "
                    + e.getMessage(), e);
        }
    }

    private TransportException refused(String path, String what, HttpResponse<String> r) {
        return new TransportException("Patroni at " + url(path) + " refused " + what + ": HTTP " + r.statusCode()
                + " " + firstLine(r.body()));
    }

    private String url(String path) {
        return "http://" + endpoint + path;
    }

    private static String authorityOf(String apiUrl) {
        if (apiUrl == null) {
            return "";
        }
        try {
            String a = URI.create(apiUrl).getRawAuthority();
            return a == null ? "" : a;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (m == null && e.getCause() != null) {
            m = e.getCause().getMessage();
        }
        if (m == null && e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static String firstLine(String body) {
        String s = body == null ? "" : body.strip();
        int nl = s.indexOf('\n');
        s = nl < 0 ? s : s.substring(0, nl);
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
