package io.pgmigrate.inspect;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.facts.PatroniFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.testing.Inventories;
import io.pgmigrate.transport.PatroniMember;
import io.pgmigrate.transport.PatroniNode;
import io.pgmigrate.transport.PatroniRole;
import io.pgmigrate.transport.PatroniStatus;
import io.pgmigrate.transport.PatroniTopology;
import io.pgmigrate.transport.TransportException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The Patroni cluster read over its REST APIs: three members on the source's host (10.0.0.1, db1) and two standbys'
 * hosts, as Patroni 3.0.2 answers; what is refused as bad input, naming the entry.
 */
class PatroniInspectorTest {
    private static final String SYSID = "7300000000000000001";
    private static final List<String> REST = List.of("db1:8008", "10.0.0.2:8008", "db1c.internal:8008");

    private final Map<String, PatroniStatus> answers = new HashMap<>();
    private final Map<String, String> scopes = new HashMap<>(Map.of("db1:8008", "pgm", "10.0.0.2:8008", "pgm",
            "db1c.internal:8008", "pgm"));
    private final Map<String, String> sysids = new HashMap<>();

    private static PatroniTopology cluster(boolean paused) {
        return new PatroniTopology(List.of(
                new PatroniMember("pg1", PatroniRole.LEADER, "leader", "running", "10.0.0.1", 5432,
                        "http://10.0.0.1:8008/patroni", null, 1, false),
                new PatroniMember("pg2", PatroniRole.REPLICA, "replica", "running", "10.0.0.2", 5432,
                        "http://10.0.0.2:8008/patroni", 0L, 1, true),
                new PatroniMember("pg3", PatroniRole.REPLICA, "replica", "running", "10.0.0.3", 5432,
                        "http://10.0.0.3:8008/patroni", 0L, 1, false),
                new PatroniMember("pg9", PatroniRole.REPLICA, "replica", "running", "10.0.0.9", 5432,
                        "http://10.0.0.9:8008/patroni", 0L, 1, false)), paused);
    }

    private PatroniStatus status(String endpoint) {
        if (answers.containsKey(endpoint)) {
            return answers.get(endpoint);
        }
        int i = REST.indexOf(endpoint);
        String member = i == 2 ? null : "pg" + (i + 1); // 3.0.2 names none; found by api_url, or here by address
        PatroniNode node = new PatroniNode(scopes.get(endpoint), null, "3.0.2",
                i == 0 ? PatroniRole.LEADER : PatroniRole.REPLICA, "running", 150018,
                sysids.getOrDefault(endpoint, SYSID), 1, false, false, List.of());
        return new PatroniStatus(endpoint, member, node, cluster(false));
    }

    private final PatroniInspector.Api api = new PatroniInspector.Api() {
        @Override
        public PatroniStatus status(String endpoint) {
            if (endpoint.equals("gone:8008")) {
                throw new TransportException("Patroni at http://gone:8008/patroni cannot be reached: connection refused");
            }
            return PatroniInspectorTest.this.status(endpoint);
        }

        @Override
        public SortedMap<String, String> config(String endpoint) {
            if (endpoint.equals("db1:8008")) {
                throw new TransportException("Patroni at http://db1:8008/config did not answer within 10 s");
            }
            return new TreeMap<>(Map.of("vacuum_defer_cleanup_age", "0", "archive_command", "secret-ish"));
        }
    };

    /** db1 resolves to 10.0.0.1; db1c.internal to 10.0.0.3; nothing else resolves. */
    private static final MemberHosts HOSTS = new MemberHosts(name -> switch (name) {
        case "db1" -> List.of("10.0.0.1");
        case "db1c.internal" -> List.of("10.0.0.3");
        default -> List.of();
    });

    private static Inventory inventory(List<String> rest) {
        Inventory base = Inventories.withStandbys(Inventory.UpgradeMode.LINK, "db1b", "db1c");
        Inventory.Host db1 = new Inventory.Host("db1", base.source().host().ssh(), "postgres");
        Inventory.SourceCluster s = base.source();
        Inventory.Standby b = base.standbys().get(0);
        Inventory.Host db1b = new Inventory.Host("10.0.0.2", b.host().ssh(), "postgres");
        return new Inventory(base.name(), base.strategy(), new Inventory.SourceCluster(db1, s.pg(), true,
                s.dataDir(), s.binDir(), s.configFile(), s.service()), base.target(), base.options(), base.cutover(),
                base.smokeQueries(), List.of(new Inventory.Standby(b.name(), db1b, b.pg(), b.tunnel(), b.dataDir(),
                b.binDir(), b.targetDataDir(), b.targetBinDir(), true), base.standbys().get(1)),
                new Inventory.Ha(new Inventory.Patroni(Path.of("/etc/patroni/patroni.yml"), rest,
                        Inventory.PatroniService.systemd("patroni"))), base.file());
    }

    private PatroniFacts read(List<String> rest) {
        return reading(rest).facts(List.of());
    }

    private PatroniInspector.Reading reading(List<String> rest) {
        return new PatroniInspector(inventory(rest), SYSID, api, HOSTS).read(List.of("127.0.0.1", "::1"));
    }

    private String refused(List<String> rest) {
        PgMigrateException e = catchThrowableOfType(PgMigrateException.class, () -> read(rest));
        assertThat(e).as("bad input expected").isNotNull();
        assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(e.getMessage()).doesNotContain("\n");
        return e.getMessage();
    }

    @Test
    void everyEndpointAndMemberIsReadAndTheMembersAreTiedToTheInventorysHosts() {
        PatroniFacts f = read(REST);
        assertThat(f.scope()).isEqualTo("pgm");
        assertThat(f.paused()).isFalse();
        assertThat(f.endpoints()).extracting(PatroniFacts.Endpoint::endpoint, PatroniFacts.Endpoint::member,
                PatroniFacts.Endpoint::role).containsExactly(
                org.assertj.core.api.Assertions.tuple("db1:8008", "pg1", "leader"),
                org.assertj.core.api.Assertions.tuple("10.0.0.2:8008", "pg2", "replica"),
                org.assertj.core.api.Assertions.tuple("db1c.internal:8008", "pg3", "replica"));
        assertThat(f.members()).extracting(PatroniFacts.Member::name, PatroniFacts.Member::source,
                PatroniFacts.Member::standby).containsExactly(
                org.assertj.core.api.Assertions.tuple("pg1", true, null),
                org.assertj.core.api.Assertions.tuple("pg2", false, "db1b"),
                org.assertj.core.api.Assertions.tuple("pg3", false, "db1c"),
                org.assertj.core.api.Assertions.tuple("pg9", false, null));
        assertThat(f.members().get(1).pendingRestart()).isTrue();
        assertThat(f.leader()).map(PatroniFacts.Member::name).hasValue("pg1");
        assertThat(f.dcsParameters()).as("names only, from the next endpoint when one does not answer")
                .containsExactly("archive_command", "vacuum_defer_cleanup_age");
        assertThat(f.dcsProblem()).isNull();
    }

    @Test
    void aLeaderOnAnotherHostThanTheSourcesIsSeenBeforeTheStandbysAreRead() {
        assertThat(reading(REST).leaderElsewhere()).isFalse();
        PatroniTopology switched = new PatroniTopology(cluster(false).members().stream().map(m -> new PatroniMember(
                m.name(), m.name().equals("pg2") ? PatroniRole.LEADER : PatroniRole.REPLICA, "x", m.state(), m.host(),
                m.port(), m.apiUrl(), m.lagBytes(), m.timeline(), false)).toList(), false);
        answers.put("db1:8008", new PatroniStatus("db1:8008", "pg1", status("db1:8008").node(), switched));
        PatroniInspector.Reading r = reading(REST);
        assertThat(r.leaderElsewhere()).isTrue();
        assertThat(r.facts(List.of()).leader()).map(PatroniFacts.Member::standby).hasValue("db1b");
    }

    @Test
    void anEndpointThatDoesNotAnswerIsBadInputNamingIt() {
        assertThat(refused(List.of("db1:8008", "gone:8008"))).isEqualTo("/etc/pgmigrate/pgmigrate.yaml:"
                + " ha.patroni.rest[1] (gone:8008): Patroni does not answer: Patroni at http://gone:8008/patroni cannot"
                + " be reached: connection refused; check host:port (restapi.connect_address of that member's"
                + " patroni.yml) and that Patroni runs there");
    }

    @Test
    void anEndpointOfAnotherScopeIsBadInputNamingIt() {
        scopes.put("db1:8008", "other");
        sysids.put("db1:8008", "7399999999999999999");
        assertThat(refused(REST)).as("the source's cluster is the one with the source's system identifier")
                .isEqualTo("/etc/pgmigrate/pgmigrate.yaml: ha.patroni.rest[0] (db1:8008): answers for Patroni scope"
                        + " 'other', the source's cluster is 'pgm' (ha.patroni.rest[1]); list only the REST APIs of"
                        + " the source's Patroni cluster");
    }

    @Test
    void anEndpointOfAnotherSystemIdentifierIsBadInputNamingIt() {
        sysids.put("db1c.internal:8008", "7399999999999999999");
        assertThat(refused(REST)).isEqualTo("/etc/pgmigrate/pgmigrate.yaml: ha.patroni.rest[2]"
                + " (db1c.internal:8008): its member pg3 has system identifier 7399999999999999999, the source's is"
                + " 7300000000000000001: it is not a member of the source's cluster; fix the entry or remove it");
    }

    @Test
    void twoEndpointsOfOneMemberAreBadInput() {
        answers.put("10.0.0.1:8008", new PatroniStatus("10.0.0.1:8008", "pg1", status("db1:8008").node(),
                cluster(false)));
        assertThat(refused(List.of("db1:8008", "10.0.0.1:8008"))).endsWith("ha.patroni.rest[1] (10.0.0.1:8008):"
                + " answers as member pg1, as ha.patroni.rest[0] does; list each member's REST API once");
    }

    @Test
    void aPausedClusterAndAnUnreadableConfigurationAreFacts() {
        answers.put("db1:8008", new PatroniStatus("db1:8008", "pg1", status("db1:8008").node(), cluster(true)));
        PatroniFacts f = read(List.of("db1:8008"));
        assertThat(f.paused()).isTrue();
        assertThat(f.dcsParameters()).isNull();
        assertThat(f.dcsProblem()).isEqualTo("Patroni at http://db1:8008/config did not answer within 10 s");
    }
}
