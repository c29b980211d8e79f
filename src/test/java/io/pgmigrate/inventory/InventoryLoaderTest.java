package io.pgmigrate.inventory;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.inventory.Inventory.Host;
import io.pgmigrate.inventory.Inventory.PgEndpoint;
import io.pgmigrate.inventory.Inventory.RowCountMode;
import io.pgmigrate.inventory.Inventory.ServiceControl;
import io.pgmigrate.inventory.Inventory.ResultComparison;
import io.pgmigrate.inventory.Inventory.SmokeQuery;
import io.pgmigrate.inventory.Inventory.Ssh;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static io.pgmigrate.inventory.InventoryAssertions.fixture;
import static io.pgmigrate.inventory.InventoryAssertions.load;
import static io.pgmigrate.inventory.InventoryAssertions.minimal;
import static io.pgmigrate.inventory.InventoryAssertions.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InventoryLoaderTest {

    @Test
    void fullFileReadsEveryKey() {
        Path file = fixture("full.yaml");
        Inventory inv = load(file);

        assertThat(inv.name()).isEqualTo("orders-prod");
        assertThat(inv.strategy()).isEqualTo(Strategy.PG_UPGRADE);
        assertThat(inv.file()).isEqualTo(file);

        var source = inv.source();
        assertThat(source.host()).isEqualTo(new Host("db1.internal",
                new Ssh("admin", 2222, Path.of("/home/dba/.ssh/id_rsa"), Path.of("/etc/ssh/ssh_known_hosts")),
                "postgres"));
        assertThat(source.host().isLocal()).isFalse();
        assertThat(source.pg()).isEqualTo(new PgEndpoint("10.0.0.5", 5444, "dba", "shop", "verify-full"));
        assertThat(source.tunnel()).isTrue();
        assertThat(source.dataDir()).isEqualTo(Path.of("/var/lib/postgresql/15/main"));
        assertThat(source.binDir()).isEqualTo(Path.of("/usr/lib/postgresql/15/bin"));
        assertThat(source.configFile()).isEqualTo(Path.of("/etc/postgresql/15/main/postgresql.conf"));
        assertThat(source.service()).isEqualTo(new ServiceControl(ServiceControl.Kind.SYSTEMD, "postgresql@15-main"));
        assertThat(source.service().key()).isEqualTo("systemd:postgresql@15-main");

        var target = inv.target();
        assertThat(target.version()).isEqualTo(18);
        assertThat(target.binDir()).isEqualTo(Path.of("/usr/lib/postgresql/18/bin"));
        assertThat(target.dataDir()).isEqualTo(Path.of("/var/lib/postgresql/18/main"));
        assertThat(target.port()).isEqualTo(5434);
        assertThat(target.host()).isNull();
        assertThat(target.service()).isEqualTo(new ServiceControl(ServiceControl.Kind.SYSTEMD, "postgresql@18-main"));

        assertThat(inv.options().mode()).isEqualTo(UpgradeMode.CLONE);
        assertThat(inv.options().jobs()).isEqualTo(8);
        assertThat(inv.options().verify().rowCounts()).isEqualTo(RowCountMode.FAST);
        assertThat(inv.options().verify().statistics()).isFalse();

        assertThat(inv.cutover().pgbouncer()).isEqualTo(new Inventory.Pgbouncer("10.0.0.9", 6543, "admin"));
        assertThat(inv.smokeQueries()).containsExactly(
                new SmokeQuery("recent orders", "shop",
                        "select count(*) from orders where created_at > now() - interval '1 day'",
                        ResultComparison.EXACT),
                new SmokeQuery("customers", "crm", "select count(*)\nfrom customers", ResultComparison.ROW_COUNT));
    }

    @Test
    void minimalFileGetsEveryDefault() {
        Inventory inv = load(fixture("minimal.yaml"));

        assertThat(inv.strategy()).isEqualTo(Strategy.PG_UPGRADE);
        Host host = inv.source().host();
        assertThat(host.address()).isEqualTo("db1.internal");
        assertThat(host.become()).isNull();
        assertThat(host.ssh().user()).isEqualTo("dba");
        assertThat(host.ssh().port()).isEqualTo(22);
        assertThat(host.ssh().identity()).isEqualTo(Path.of("/home/dba/.ssh/id_ed25519"));
        assertThat(host.ssh().knownHosts()).isEqualTo(Path.of("/home/dba/.ssh/known_hosts"));
        assertThat(inv.source().pg()).isEqualTo(new PgEndpoint("127.0.0.1", 5432, "postgres", "postgres", "prefer"));
        assertThat(inv.source().tunnel()).isFalse();
        assertThat(inv.source().configFile()).isNull();
        assertThat(inv.source().service()).isEqualTo(ServiceControl.pgCtl());
        assertThat(inv.target().port()).isEqualTo(5433);
        assertThat(inv.target().host()).isNull();
        assertThat(inv.options().mode()).isEqualTo(UpgradeMode.SWAP);
        assertThat(inv.options().jobs()).isEqualTo(4);
        assertThat(inv.options().verify().rowCounts()).isEqualTo(RowCountMode.EXACT);
        assertThat(inv.options().verify().statistics()).isTrue();
        assertThat(inv.cutover()).isNotNull();
        assertThat(inv.cutover().pgbouncer()).isNull();
        assertThat(inv.smokeQueries()).isEmpty();
    }

    @Test
    void modeDefaultsToLinkBeforeEighteen() {
        Inventory inv = parse(minimal("", "", "").replace("version: 18", "version: 17"));
        assertThat(inv.options().mode()).isEqualTo(UpgradeMode.LINK);
    }

    @Test
    void localHostHasNoSshAndExpandsHome() {
        Inventory inv = parse(minimal("  ssh: { port: 2200 }\n", "", "").replace("dataDir: /var/lib/postgresql/15/main",
                "dataDir: ~/pg/15/main"));
        assertThat(inv.source().host().isLocal()).isTrue();
        assertThat(inv.source().host().ssh()).isNull();
        assertThat(inv.source().dataDir()).isEqualTo(Path.of("/home/dba/pg/15/main"));
    }

    @Test
    void logicalWithTargetHostMapping() {
        Inventory inv = load(fixture("logical.yaml"));
        assertThat(inv.strategy()).isEqualTo(Strategy.LOGICAL);
        assertThat(inv.source().binDir()).isEqualTo(Path.of("/home/dba/pg15/bin"));
        assertThat(inv.source().service().kind()).isEqualTo(ServiceControl.Kind.PG_CTLCLUSTER);
        assertThat(inv.target().host()).isEqualTo(new Host("db2.internal",
                new Ssh("admin", 22, Path.of("/home/dba/.ssh/id_ed25519"), Path.of("/home/dba/.ssh/known_hosts")),
                "postgres"));
        assertThat(inv.target().dataDir()).isEqualTo(inv.source().dataDir());
    }

    @Test
    void logicalWithTargetHostStringAndSshBeside() {
        Inventory inv = parse(minimal("", "  host: db2.internal\n  ssh: { user: ops, port: 2022 }\n  become: pg\n",
                "strategy: logical\n"));
        Host green = inv.target().host();
        assertThat(green.address()).isEqualTo("db2.internal");
        assertThat(green.ssh().user()).isEqualTo("ops");
        assertThat(green.ssh().port()).isEqualTo(2022);
        assertThat(green.become()).isEqualTo("pg");
    }

    @Test
    void replicationSslmodeIsALogicalOption() {
        Inventory inv = parse(minimal("", "  host: db2.internal\n",
                "strategy: logical\noptions: { replicationSslmode: verify-full }\n"));
        assertThat(inv.options().replicationSslmode()).isEqualTo("verify-full");
        assertThat(parse(minimal("", "", "strategy: logical\n")).options().replicationSslmode()).isNull();
        assertThat(InventoryAssertions.badInputYaml(minimal("", "", "options: { replicationSslmode: require }\n")))
                .contains("options.replicationSslmode", "strategy: logical");
        assertThat(InventoryAssertions.badInputYaml(minimal("", "",
                "strategy: logical\noptions: { replicationSslmode: verify }\n"))).contains("verify-full");
    }

    @Test
    void logicalReadsTheSwitchCommandAndHashesDataByDefault() {
        Inventory inv = parse(minimal("", "", "strategy: logical\n"
                + "cutover:\n  switchCommand: [/usr/local/bin/point-clients, --ini, \"/etc/my app.ini\"]\n"));
        assertThat(inv.cutover().switchCommand()).containsExactly("/usr/local/bin/point-clients", "--ini",
                "/etc/my app.ini");
        assertThat(inv.options().verify().fingerprints()).isTrue();
        assertThat(parse(minimal("", "", "strategy: logical\noptions:\n  verify: { fingerprints: false }\n"))
                .options().verify().fingerprints()).isFalse();
        Inventory inPlace = parse(minimal("", "", ""));
        assertThat(inPlace.options().verify().fingerprints()).isFalse();
        assertThat(inPlace.cutover().switchCommand()).isEmpty();
    }

    @Test
    void theDataComparisonAtTheFrozenPointMovesBeforeTheSwitchOnlyWhenAskedAndOnlyForLogical() {
        assertThat(parse(minimal("", "", "strategy: logical\n")).options().verify().beforeSwitch()).isFalse();
        assertThat(parse(minimal("", "", "strategy: logical\noptions:\n  verify: { beforeSwitch: true }\n"))
                .options().verify().beforeSwitch()).isTrue();
        assertThatThrownBy(() -> parse(minimal("", "", "options:\n  verify: { beforeSwitch: true }\n")))
                .hasMessageContaining("options.verify.beforeSwitch").hasMessageContaining("strategy: logical");
    }

    @Test
    void amcheckIsOptInForBothStrategies() {
        assertThat(parse(minimal("", "", "")).options().verify().amcheck()).isFalse();
        assertThat(parse(minimal("", "", "options:\n  verify: { amcheck: true }\n")).options().verify().amcheck())
                .isTrue();
        assertThat(parse(minimal("", "", "strategy: logical\noptions:\n  verify: { amcheck: true }\n"))
                .options().verify().amcheck()).isTrue();
        assertThatThrownBy(() -> parse(minimal("", "", "options:\n  verify: { amcheck: maybe }\n")))
                .hasMessageContaining("options.verify.amcheck");
        assertThatThrownBy(() -> parse(minimal("", "", "options:\n  verify: { amCheck: true }\n")))
                .hasMessageContaining("amCheck");
    }

    @Test
    void emptyValuesCountAsAbsentAndQuotedNumbersAreAccepted() {
        Inventory inv = parse(minimal("  become:\n  configFile: ~\n", "  port: \"5440\"\n",
                "options:\ncutover:\nsmokeQueries: []\n"));
        assertThat(inv.source().host().become()).isNull();
        assertThat(inv.source().configFile()).isNull();
        assertThat(inv.target().port()).isEqualTo(5440);
        assertThat(inv.options().jobs()).isEqualTo(4);
        assertThat(inv.cutover().pgbouncer()).isNull();
    }

    @Test
    void yamlOffIsReadAsWrittenForEnums() {
        Inventory inv = parse(minimal("", "", "options:\n  verify:\n    rowCounts: off\n    statistics: no\n"));
        assertThat(inv.options().verify().rowCounts()).isEqualTo(RowCountMode.OFF);
        assertThat(inv.options().verify().statistics()).isFalse();
    }

    @Test
    void pathsAreNormalized() {
        Inventory inv = parse(minimal("", "", "").replace("/usr/lib/postgresql/18/bin", "/usr/lib/postgresql/18/bin/"));
        assertThat(inv.target().binDir()).isEqualTo(Path.of("/usr/lib/postgresql/18/bin"));
    }
}
