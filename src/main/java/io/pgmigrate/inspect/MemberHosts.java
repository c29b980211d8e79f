package io.pgmigrate.inspect;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Which inventory host a Patroni member runs on: the member's {@code host} ({@code postgresql.connect_address}) or its
 * REST API's host against the names and addresses of the inventory's hosts (the host's own addresses as it lists
 * them, its name resolved here). Loopback addresses say nothing about which host is meant and are left out.
 */
final class MemberHosts {
    private final Function<String, Collection<String>> resolver;

    /** @param resolver a host name to its addresses (empty when it does not resolve) */
    MemberHosts(Function<String, Collection<String>> resolver) {
        this.resolver = resolver;
    }

    /** Names resolved by this machine's resolver. */
    static MemberHosts dns() {
        return new MemberHosts(MemberHosts::resolve);
    }

    /** The names and addresses that stand for one host: each given one, and what each name resolves to. */
    Set<String> identities(Collection<String> namesAndAddresses) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : namesAndAddresses) {
            if (n == null || n.isBlank() || n.startsWith("/") || n.equals("local")) {
                continue;
            }
            String bare = bare(n);
            out.add(bare);
            if (!isAddress(bare)) {
                resolver.apply(bare).forEach(a -> out.add(bare(a)));
            }
        }
        out.removeIf(MemberHosts::isLoopback);
        return out;
    }

    /** Whether a member whose PostgreSQL is at {@code host} and whose REST API is {@code apiUrl} runs on that host. */
    boolean runsOn(String host, String apiUrl, Set<String> hostIdentities) {
        Set<String> member = identities(java.util.Arrays.asList(host, hostOf(apiUrl)));
        return member.stream().anyMatch(hostIdentities::contains);
    }

    static String hostOf(String apiUrl) {
        if (apiUrl == null) {
            return null;
        }
        try {
            return URI.create(apiUrl).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The port of a REST API's URL, -1 when it has none or is no URL. */
    static int portOf(String apiUrl) {
        if (apiUrl == null) {
            return -1;
        }
        try {
            return URI.create(apiUrl).getPort();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static String bare(String n) {
        String s = n.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int slash = s.indexOf('/');
        return slash < 0 ? s : s.substring(0, slash);
    }

    private static boolean isAddress(String s) {
        return s.matches("[0-9.]+") || s.contains(":");
    }

    private static boolean isLoopback(String s) {
        return s.startsWith("127.") || s.equals("::1") || s.equals("localhost") || s.equals("0:0:0:0:0:0:0:1");
    }

    private static Collection<String> resolve(String name) {
        try {
            return java.util.Arrays.stream(InetAddress.getAllByName(name)).map(InetAddress::getHostAddress).toList();
        } catch (UnknownHostException | SecurityException e) {
            return java.util.List.of();
        }
    }
}
