package io.pgmigrate.testing.hosts;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.containers.Network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JUnit 5 extension that gives a test N database hosts ({@link TestHost}) on one Docker network of their own,
 * and a known_hosts file with every host's real key. Registered on a static field, the hosts live for the class;
 * on an instance field, for each test. Stopped, with their network, when they are done; skipped without an image.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final TestHosts HOSTS = TestHosts.named("blue", "green");
 * ... HOSTS.host("green").address() ...
 * </pre>
 */
public final class TestHosts implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final List<String> names;
    private final Map<String, List<String>> tmpfs = new LinkedHashMap<>();
    private final Map<String, TestHost> hosts = new LinkedHashMap<>();
    private Network network;
    private Path knownHosts;
    private boolean perClass;

    private TestHosts(List<String> names) {
        this.names = List.copyOf(names);
    }

    public static TestHosts named(String... names) {
        return new TestHosts(List.of(names));
    }

    /** Gives {@code host} a small disk of its own: a tmpfs of {@code mb} MiB at {@code path}, owned by postgres. */
    public TestHosts withTmpfs(String host, String path, int mb) {
        tmpfs.computeIfAbsent(host, h -> new java.util.ArrayList<>()).add(path + ":" + mb);
        return this;
    }

    public TestHost host(String name) {
        TestHost h = hosts.get(name);
        if (h == null) {
            throw new IllegalArgumentException("no test host " + name + " (have " + hosts.keySet() + ")");
        }
        return h;
    }

    /** A known_hosts file (0600) holding every host's real key under its address. */
    public Path knownHosts() {
        return knownHosts;
    }

    public Network network() {
        return network;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    private void start() {
        network = Network.newNetwork();
        try {
            for (String name : names) {
                hosts.put(name, TestHost.start(name, network, tmpfs.getOrDefault(name, List.of())));
            }
            knownHosts = Files.createTempFile("pgm-known-hosts-", "",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            StringBuilder lines = new StringBuilder();
            hosts.values().forEach(h -> lines.append(h.knownHostsLine()).append('\n'));
            Files.writeString(knownHosts, lines);
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private void stop() {
        hosts.values().forEach(TestHost::close);
        hosts.clear();
        if (network != null) {
            network.close();
            network = null;
        }
        if (knownHosts != null) {
            try {
                Files.deleteIfExists(knownHosts);
            } catch (IOException ignored) {
                // a temp file
            }
            knownHosts = null;
        }
    }
}
