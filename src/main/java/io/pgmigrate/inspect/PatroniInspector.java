package io.pgmigrate.inspect;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.facts.PatroniFacts;
import io.pgmigrate.facts.StandbyFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.Standby;
import io.pgmigrate.transport.PatroniMember;
import io.pgmigrate.transport.PatroniRest;
import io.pgmigrate.transport.PatroniRole;
import io.pgmigrate.transport.PatroniStatus;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Reads the Patroni cluster of {@code ha.patroni} over each member's REST API (issue #15), read-only. Bad input, one
 * line naming the inventory's entry, before anything is touched: a REST endpoint that does not answer, one of
 * another Patroni cluster (scope) than the source's, one whose member's system identifier is not the source's, two
 * endpoints of one member.
 */
final class PatroniInspector {
    /** What is asked of a REST endpoint; {@link TransportException} when it does not answer. */
    interface Api {
        PatroniStatus status(String endpoint);

        SortedMap<String, String> config(String endpoint);

        /** Over HTTP: 5 s to connect, 10 s to answer. */
        static Api rest() {
            return new Api() {
                @Override
                public PatroniStatus status(String endpoint) {
                    return at(endpoint).status();
                }

                @Override
                public SortedMap<String, String> config(String endpoint) {
                    return at(endpoint).config();
                }

                private PatroniRest at(String endpoint) {
                    return new PatroniRest(endpoint, Duration.ofSeconds(5), Duration.ofSeconds(10));
                }
            };
        }
    }

    private final Inventory inv;
    private final String sourceSystemIdentifier;
    private final Api api;
    private final MemberHosts hosts;

    PatroniInspector(Inventory inv, String sourceSystemIdentifier, Api api, MemberHosts hosts) {
        this.inv = inv;
        this.sourceSystemIdentifier = sourceSystemIdentifier;
        this.api = api;
        this.hosts = hosts;
    }

    /**
     * What the REST APIs said, checked to be one cluster, the source's: its members are tied to the inventory's hosts
     * by {@link #facts}, once the standbys' own addresses are known.
     */
    final class Reading {
        private final List<PatroniStatus> answers;
        private final Set<String> source;
        private final List<String> parameters;
        private final String problem;

        private Reading(List<PatroniStatus> answers, Set<String> source, List<String> parameters, String problem) {
            this.answers = answers;
            this.source = source;
            this.parameters = parameters;
            this.problem = problem;
        }

        /**
         * A member other than the one on the source's host holds the leader lock (a switchover or failover since the
         * inventory was written): the standbys then follow another primary, and reading them says nothing useful.
         */
        boolean leaderElsewhere() {
            return answers.get(0).cluster().leader().map(m -> !hosts.runsOn(m.host(), m.apiUrl(), source))
                    .orElse(false);
        }

        /** @param standbys the inventory's standbys as read (their hosts' addresses), empty when not read */
        PatroniFacts facts(List<StandbyFacts> standbys) {
            List<String> rest = inv.ha().patroni().rest();
            List<PatroniFacts.Endpoint> endpoints = new ArrayList<>();
            for (int i = 0; i < rest.size(); i++) {
                endpoints.add(endpoint(rest.get(i), answers.get(i)));
            }
            Map<String, Set<String>> standbyHosts = new java.util.LinkedHashMap<>();
            for (Standby s : inv.standbys()) {
                List<String> names = new ArrayList<>(List.of(s.host().address(), s.pg().host()));
                standbys.stream().filter(f -> f.name().equals(s.name())).findFirst()
                        .ifPresent(f -> names.addAll(f.hostAddresses()));
                standbyHosts.put(s.name(), hosts.identities(names));
            }
            PatroniStatus first = answers.get(0);
            List<PatroniFacts.Member> members = first.cluster().members().stream()
                    .map(m -> member(m, source, standbyHosts)).toList();
            return new PatroniFacts(first.scope(), endpoints, members, answers.stream().anyMatch(PatroniStatus::paused),
                    parameters, problem);
        }
    }

    /**
     * Asks every REST endpoint; refuses, as bad input naming the entry, one that does not answer or is not a member of
     * the source's cluster.
     *
     * @param sourceHostAddresses the source host's own addresses (as it lists them)
     */
    Reading read(List<String> sourceHostAddresses) {
        List<String> rest = inv.ha().patroni().rest();
        List<PatroniStatus> answers = new ArrayList<>();
        for (int i = 0; i < rest.size(); i++) {
            try {
                answers.add(named(api.status(rest.get(i))));
            } catch (TransportException e) {
                throw bad(i, "Patroni does not answer: " + e.getMessage() + "; check host:port (restapi.connect_address"
                        + " of that member's patroni.yml) and that Patroni runs there");
            }
        }
        requireOneCluster(answers);
        List<String> parameters = null;
        String problem = null;
        for (String e : rest) {
            try {
                parameters = List.copyOf(api.config(e).keySet());
                problem = null;
                break;
            } catch (TransportException ex) {
                problem = ex.getMessage();
            }
        }
        return new Reading(answers, hosts.identities(sourceNames(sourceHostAddresses)), parameters, problem);
    }

    /**
     * The answer with its member's name: Patroni 3.0.2 gives none, and {@link PatroniStatus} finds it only when the
     * endpoint is written as the member's {@code api_url} is; else the member whose REST API's host is the endpoint's
     * host by name or address, on the same port.
     */
    private PatroniStatus named(PatroniStatus a) {
        if (a.memberName() != null) {
            return a;
        }
        int colon = a.endpoint().lastIndexOf(':');
        String host = a.endpoint().substring(0, colon);
        String port = a.endpoint().substring(colon + 1);
        Set<String> ids = hosts.identities(List.of(host));
        return a.cluster().members().stream()
                .filter(m -> port.equals(String.valueOf(MemberHosts.portOf(m.apiUrl()))))
                .filter(m -> hosts.runsOn(null, m.apiUrl(), ids)).findFirst()
                .map(m -> new PatroniStatus(a.endpoint(), m.name(), a.node(), a.cluster())).orElse(a);
    }

    private List<String> sourceNames(List<String> sourceHostAddresses) {
        List<String> names = new ArrayList<>(sourceHostAddresses);
        names.add(inv.source().host().address());
        names.add(inv.source().pg().host());
        return names;
    }

    /**
     * The source's cluster is the scope of the first endpoint whose member has the source's system identifier (else
     * the first endpoint's); every endpoint must answer for it, for the source's data, each for a member of its own.
     */
    private void requireOneCluster(List<PatroniStatus> answers) {
        int ref = 0;
        for (int i = 0; i < answers.size(); i++) {
            if (sourceSystemIdentifier.equals(answers.get(i).node().systemIdentifier())) {
                ref = i;
                break;
            }
        }
        String scope = answers.get(ref).scope();
        Map<String, Integer> byMember = new HashMap<>();
        for (int i = 0; i < answers.size(); i++) {
            PatroniStatus a = answers.get(i);
            if (!java.util.Objects.equals(scope, a.scope())) {
                throw bad(i, "answers for Patroni scope " + quote(a.scope()) + ", the source's cluster is "
                        + quote(scope) + " (ha.patroni.rest[" + ref + "]); list only the REST APIs of the source's"
                        + " Patroni cluster");
            }
            String sysid = a.node().systemIdentifier();
            if (sysid != null && !sysid.equals(sourceSystemIdentifier)) {
                throw bad(i, "its member" + (a.memberName() == null ? "" : " " + a.memberName()) + " has system"
                        + " identifier " + sysid + ", the source's is " + sourceSystemIdentifier + ": it is not a"
                        + " member of the source's cluster; fix the entry or remove it");
            }
            if (a.memberName() != null) {
                Integer earlier = byMember.putIfAbsent(a.memberName(), i);
                if (earlier != null) {
                    throw bad(i, "answers as member " + a.memberName() + ", as ha.patroni.rest[" + earlier + "] does;"
                            + " list each member's REST API once");
                }
            }
        }
    }

    private static PatroniFacts.Endpoint endpoint(String endpoint, PatroniStatus a) {
        var n = a.node();
        return new PatroniFacts.Endpoint(endpoint, a.memberName(), n.patroniVersion(), role(n.role(), null),
                n.state(), n.serverVersion(), n.systemIdentifier(), n.timeline(), n.pendingRestart(), a.paused());
    }

    private PatroniFacts.Member member(PatroniMember m, Set<String> source, Map<String, Set<String>> standbys) {
        boolean onSource = hosts.runsOn(m.host(), m.apiUrl(), source);
        String standby = onSource ? null : standbys.entrySet().stream()
                .filter(e -> hosts.runsOn(m.host(), m.apiUrl(), e.getValue())).map(Map.Entry::getKey)
                .findFirst().orElse(null);
        return new PatroniFacts.Member(m.name(), role(m.role(), m.roleText()), m.state(), m.host(), m.port(),
                m.apiUrl(), m.timeline(), m.lagBytes(), m.pendingRestart(), onSource, standby);
    }

    /** Patroni's role in one spelling across versions: {@code master} and {@code primary} read {@code leader}. */
    static String role(PatroniRole role, String text) {
        return role == PatroniRole.OTHER ? (text == null ? "unknown" : text) : role.name().toLowerCase(Locale.ROOT);
    }

    private PgMigrateException bad(int i, String what) {
        return new PgMigrateException(ExitCode.BAD_INPUT, inv.file() + ": ha.patroni.rest[" + i + "] ("
                + inv.ha().patroni().rest().get(i) + "): " + what);
    }

    private static String quote(String s) {
        return s == null ? "(none)" : "'" + s + "'";
    }
}
