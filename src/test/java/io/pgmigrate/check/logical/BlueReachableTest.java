package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BlueReachableTest {
    private static List<Finding> run(Facts facts, boolean greenElsewhere) {
        Inventory inv = Inventories.logical();
        return run(facts, greenElsewhere, inv);
    }

    private static List<Finding> runWithBlueHost(Facts facts) {
        Inventory inv = Inventories.logical();
        Inventory.SourceCluster s = inv.source();
        inv = new Inventory(inv.name(), inv.strategy(), new Inventory.SourceCluster(new Inventory.Host("db1.internal",
                null, null), s.pg(), true, s.dataDir(), s.binDir(), s.configFile(), s.service()), inv.target(),
                inv.options(), inv.cutover(), inv.smokeQueries(), inv.file());
        return run(facts, true, inv);
    }

    private static List<Finding> run(Facts facts, boolean greenElsewhere, Inventory inv) {
        if (greenElsewhere) {
            Inventory.TargetCluster t = inv.target();
            inv = new Inventory(inv.name(), inv.strategy(), inv.source(), new Inventory.TargetCluster(t.version(),
                    t.binDir(), t.dataDir(), t.port(), new Inventory.Host("db2.internal", null, null)), inv.options(),
                    inv.cutover(), inv.smokeQueries(), inv.file());
        }
        return new BlueReachable().evaluate(new CheckInput(inv, facts.build(), new UpgradePath(15, 18,
                inv.options().mode())));
    }

    @Test
    void greenElsewhereMustKnowBluesAddress() {
        Facts facts = Facts.healthy();
        facts.settings.put("listen_addresses", "*");
        Finding x = run(facts, true).get(0);
        assertThat(x.title()).isEqualTo("Green cannot know blue's address");
        assertThat(x.objects()).containsExactly("inventory: source.host = local, source.pg.host = 127.0.0.1");
    }

    @Test
    void greenElsewhereNeedsBlueToListenBeyondLoopback() {
        Facts facts = Facts.healthy();
        facts.settings.put("listen_addresses", "localhost, 127.0.0.1");
        assertThat(run(facts, false)).isEmpty();
        Finding x = runWithBlueHost(facts).get(0);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.objects()).containsExactly("blue: listen_addresses = 'localhost, 127.0.0.1'");
        assertThat(x.fix()).contains("ALTER SYSTEM SET listen_addresses = '*'");
        facts.settings.put("listen_addresses", "localhost,10.0.0.5");
        assertThat(runWithBlueHost(facts)).isEmpty();
        facts.settings.put("listen_addresses", "*");
        assertThat(runWithBlueHost(facts)).isEmpty();
    }

    @Test
    void aRehearsalOnGreensHostThatCouldNotConnectToBlueIsABlockerThatSaysHowToLetGreenIn() {
        Facts facts = Facts.healthy();
        facts.settings.put("listen_addresses", "*");
        facts.rehearsal = io.pgmigrate.facts.RehearsalFacts.blueUnreachable("connection to server at \"db1.internal\""
                + " (10.0.0.1), port 5432 failed: fe_sendauth: no password supplied");
        Finding x = runWithBlueHost(facts).get(0);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.title()).isEqualTo("Green's host cannot connect to blue");
        assertThat(x.objects()).containsExactly("from db2.internal to db1.internal:5432 as postgres: connection to"
                + " server at \"db1.internal\" (10.0.0.1), port 5432 failed: fe_sendauth: no password supplied");
        assertThat(x.fix()).contains("host all postgres db2.internal scram-sha-256", "~/.pgpass",
                "db1.internal:5432:*:postgres:PASSWORD");
        // blue listening on loopback only is the cause to name first
        facts.settings.put("listen_addresses", "localhost");
        assertThat(runWithBlueHost(facts).get(0).title()).contains("listens on loopback addresses only");
        assertThat(BlueReachable.hbaAddress("10.0.0.2")).isEqualTo("10.0.0.2/32");
        assertThat(BlueReachable.hbaAddress("fd00::2")).isEqualTo("fd00::2/128");
    }
}
