package io.pgmigrate.planner.bluegreen;

import io.pgmigrate.planner.Planner;


import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Action.Endpoint;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.PlanMarkdown;
import io.pgmigrate.plan.Step;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogicalPhasesTest {
    private static final Instant AT = Instant.parse("2026-11-24T10:00:00Z");
    private static final List<String> SWITCH = List.of("/usr/local/bin/point-clients", "--config", "/etc/app.ini");

    static Inventory logical(boolean pgbouncer) {
        Inventory inv = Inventories.logical();
        Inventory.Cutover cutover = new Inventory.Cutover(pgbouncer ? new Inventory.Pgbouncer("127.0.0.1", 6432,
                "pgbouncer") : null, SWITCH);
        return new Inventory(inv.name(), inv.strategy(), inv.source(), inv.target(), inv.options(), cutover,
                inv.smokeQueries(), inv.file());
    }

    private static Plan plan(Inventory inv, Facts facts) {
        return Planner.plan(inv, facts.build(), AT);
    }

    private static List<String> ids(Plan plan) {
        return plan.phases().stream().flatMap(p -> p.steps().stream()).map(Step::id).toList();
    }

    private static Step step(Plan plan, String id) {
        return plan.step(id).orElseThrow(() -> new AssertionError(id + " not in " + ids(plan)));
    }

    @Test
    void phasesFollowTheBlueGreenOrder() {
        Plan plan = plan(logical(true), Facts.healthy());
        assertThat(plan.strategy()).isEqualTo(io.pgmigrate.plan.Strategy.LOGICAL);
        assertThat(plan.mode()).isEqualTo("copy_data");
        assertThat(plan.phases()).extracting(Phase::id).containsExactly("preflight", "blue-restart", "green", "schema",
                "replicate", "cutover", "post", "rollback", "cleanup");
        assertThat(ids(plan)).containsSubsequence("preflight.fingerprint", "blue-restart.set-wal-level",
                "blue-restart.pause-clients", "blue-restart.restart", "blue-restart.ready", "blue-restart.resume-clients",
                "blue-restart.check", "green.workdir", "green.initdb", "green.settings", "green.hba", "green.start",
                "green.ready", "schema.globals-file", "schema.globals-dump", "schema.globals-restore",
                "schema.globals-remove", "schema.dump.postgres", "schema.restore.postgres", "schema.dump.shop",
                "schema.restore.shop", "replicate.publication.postgres", "replicate.subscription.postgres",
                "replicate.publication.shop", "replicate.subscription.shop", "replicate.initial-copy.postgres",
                "replicate.initial-copy.shop", "replicate.caught-up.postgres", "replicate.caught-up.shop",
                "cutover.schema-check", "cutover.freeze", "cutover.prove-frozen", "cutover.wal-position",
                "cutover.caught-up.postgres", "cutover.caught-up.shop", "cutover.sequences.postgres",
                "cutover.sequences.shop", "cutover.verify-snapshot", "cutover.stop-forward.postgres", "cutover.stop-forward.shop",
                "cutover.reverse-publication.postgres", "cutover.reverse-subscription.postgres",
                "cutover.reverse-publication.shop", "cutover.reverse-subscription.shop", "cutover.switch-clients",
                "cutover.resume", "cutover.fence-blue", "post.verify", "post.drop-forward.postgres", "post.analyze",
                "post.verify-schema", "rollback.freeze", "rollback.prove-frozen", "rollback.wal-position",
                "rollback.caught-up.shop", "rollback.sequences.shop", "rollback.stop-reverse.shop",
                "rollback.unfence-blue", "rollback.switch-clients", "rollback.resume", "rollback.fence-green",
                "cleanup.forward-subscription.shop", "cleanup.reverse-subscription.shop", "cleanup.publication.shop",
                "cleanup.reverse-publication.shop", "cleanup.blue-slots", "cleanup.green-slots", "cleanup.workdir");
        assertThat(ids(plan)).doesNotHaveDuplicates();
    }

    @Test
    void blueIsRestartedOnlyWhenItsWalLevelIsNotLogical() {
        Plan replica = plan(logical(false), Facts.healthy());
        assertThat(step(replica, "blue-restart.restart").title()).startsWith("RESTART OF PRODUCTION");
        assertThat(step(replica, "blue-restart.restart").action()).isEqualTo(Action.RunCommand.of(List.of(
                "/usr/lib/postgresql/15/bin/pg_ctl", "restart", "-D", "/var/lib/postgresql/15/main", "-m", "fast", "-w",
                "-t", "600")));
        assertThat(((Action.RunSql) step(replica, "blue-restart.set-wal-level").action()).sql())
                .isEqualTo("ALTER SYSTEM SET wal_level = 'logical'");
        assertThat(step(replica, "blue-restart.check").marker()).isEqualTo(Marker.ROLLBACK_POINT);

        Facts facts = Facts.healthy();
        facts.settings.put("wal_level", "logical");
        Plan ready = plan(logical(false), facts);
        assertThat(ready.phases()).extracting(Phase::id).doesNotContain("blue-restart");
        assertThat(ids(ready)).noneMatch(id -> id.startsWith("blue-restart"));
        assertThat(PlanJson.write(ready.phases())).doesNotContain("ALTER SYSTEM SET", "\"restart\"");
        assertThat(step(ready, "preflight.fingerprint").marker()).isEqualTo(Marker.ROLLBACK_POINT);
    }

    @Test
    void theCutoverIsTheOutageAndEveryStepInItHasATimeout() {
        Plan plan = plan(logical(true), Facts.healthy());
        Phase cutover = plan.phases().stream().filter(p -> p.id().equals("cutover")).findFirst().orElseThrow();
        List<Step> steps = cutover.steps();
        int freeze = ids(plan).indexOf("cutover.freeze");
        int resume = ids(plan).indexOf("cutover.resume");
        for (Step s : steps) {
            int at = ids(plan).indexOf(s.id());
            assertThat(s.inOutage()).as(s.id()).isEqualTo(at >= freeze && at <= resume);
            assertThat(s.timeout()).as(s.id()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(20));
        }
        assertThat(plan.phases()).flatExtracting(Phase::steps).extracting(Step::marker)
                .doesNotContain(Marker.POINT_OF_NO_RETURN);
        assertThat(step(plan, "cutover.switch-clients").marker()).isEqualTo(Marker.REVERSE_CUTOVER);
        assertThat(step(plan, "cutover.reverse-subscription.shop").marker()).isEqualTo(Marker.ROLLBACK_POINT);
        assertThat(step(plan, "cutover.wal-position").action()).isEqualTo(new Action.WalPosition(Endpoint.SOURCE));
        assertThat(step(plan, "cutover.caught-up.shop").action()).isEqualTo(new Action.WaitForReplication(
                Action.WaitForReplication.Condition.CONFIRMED_POSITION, Endpoint.SOURCE, "shop", "pgmigrate_shop",
                "pgmigrate_shop", 0, "cutover.wal-position"));
        assertThat(step(plan, "cutover.sequences.shop").action())
                .isEqualTo(new Action.CopySequences(Endpoint.SOURCE, Endpoint.TARGET, "shop"));
        assertThat(step(plan, "rollback.sequences.shop").action())
                .isEqualTo(new Action.CopySequences(Endpoint.TARGET, Endpoint.SOURCE, "shop"));
        assertThat(((Action.Verify) step(plan, "cutover.verify-snapshot").action()).stage())
                .isEqualTo(Action.Verify.Stage.SNAPSHOT);
        Action.Verify verify = (Action.Verify) step(plan, "post.verify").action();
        assertThat(verify.stage()).isEqualTo(Action.Verify.Stage.LIVE);
        assertThat(verify.scope()).isEqualTo(Action.Verify.Scope.DATA);
        assertThat(ids(plan)).doesNotContain("cutover.verify");
        assertThat(((Action.Verify) step(plan, "cutover.schema-check").action()).scope())
                .isEqualTo(Action.Verify.Scope.CATALOG);
        assertThat(step(plan, "cutover.schema-check").inOutage()).isFalse();
        assertThat(step(plan, "cutover.switch-clients").action()).isEqualTo(Action.RunCommand.of(List.of(
                "/usr/local/bin/point-clients", "--config", "/etc/app.ini", "green", "127.0.0.1", "5433")));
        assertThat(step(plan, "rollback.switch-clients").action()).isEqualTo(Action.RunCommand.of(List.of(
                "/usr/local/bin/point-clients", "--config", "/etc/app.ini", "blue", "127.0.0.1", "5432")));
    }

    @Test
    void beforeSwitchMovesTheDataComparisonIntoTheOutageAndTheOutageEstimateGrowsByIt() {
        Inventory after = logical(true);
        Inventory.Verify v = after.options().verify();
        Inventory before = new Inventory(after.name(), after.strategy(), after.source(), after.target(),
                new Inventory.Options(after.options().mode(), after.options().jobs(), new Inventory.Verify(
                        v.rowCounts(), v.statistics(), v.fingerprints(), true)), after.cutover(), after.smokeQueries(),
                after.file());
        Plan held = plan(after, Facts.healthy());
        Plan inside = plan(before, Facts.healthy());

        assertThat(step(inside, "cutover.verify").inOutage()).isTrue();
        assertThat(ids(inside)).doesNotContain("cutover.verify-snapshot", "post.verify");
        assertThat(ids(inside).indexOf("cutover.verify")).isLessThan(ids(inside).indexOf("cutover.switch-clients"));
        assertThat(ids(held).indexOf("cutover.verify-snapshot")).isLessThan(ids(held).indexOf("cutover.switch-clients"));
        assertThat(inside.estimates().outage().minus(held.estimates().outage()))
                .isEqualTo(step(inside, "cutover.verify").estimate().minus(step(held, "cutover.verify-snapshot").estimate()));
        assertThat(held.estimates().assumptions()).anyMatch(a -> a.contains("compared after the switch"));
        assertThat(inside.estimates().assumptions()).anyMatch(a -> a.contains("inside the write outage"));
    }

    @Test
    void theEstimatesCountTheCopyAndTheFrozenStepsButNotRollbackOrCleanup() {
        Facts facts = Facts.healthy();
        facts.settings.put("wal_level", "logical");
        Plan plan = plan(logical(true), facts);
        Duration outage = plan.phases().stream().filter(p -> p.id().equals("cutover"))
                .flatMap(p -> p.steps().stream()).filter(Step::inOutage).map(Step::estimate)
                .reduce(Duration.ZERO, Duration::plus);
        assertThat(plan.estimates().outage()).isEqualTo(outage);
        Duration total = plan.phases().stream().filter(p -> !p.id().equals("rollback") && !p.id().equals("cleanup"))
                .map(Phase::estimate).reduce(Duration.ZERO, Duration::plus);
        assertThat(plan.estimates().total()).isEqualTo(total);
        // 2 GB at 50 MiB/s: about 48 s, + 10 s
        assertThat(step(plan, "replicate.initial-copy.postgres").estimate()).isEqualTo(Duration.ofSeconds(49));
        assertThat(plan.estimates().assumptions()).anyMatch(a -> a.startsWith("initial copy: 50 MiB/s"));
    }

    @Test
    void notValidCheckConstraintsAreSetAsideOnGreenForTheInitialCopyAndGivenBackNotValid() {
        assertThat(ids(plan(logical(true), Facts.healthy()))).noneMatch(id -> id.contains("checks"));
        Facts facts = Facts.healthy()
                .probe("logical-not-valid-checks", "shop", "schema_name", "public", "relation_name", "orders",
                        "constraint_name", "positive", "kind", "table", "definition", "CHECK ((id > 0)) NOT VALID")
                .probe("logical-not-valid-checks", "shop", "schema_name", "public", "relation_name", "money",
                        "constraint_name", "cents", "kind", "domain", "definition", "CHECK ((VALUE >= 0)) NOT VALID");
        Plan plan = plan(logical(true), facts);
        assertThat(ids(plan)).containsSubsequence("schema.restore.shop", "replicate.defer-checks.shop",
                "replicate.subscription.shop", "replicate.initial-copy.shop", "replicate.restore-checks.shop",
                "replicate.caught-up.shop", "cutover.freeze");
        assertThat(step(plan, "replicate.defer-checks.shop").action()).isEqualTo(new Action.RunSql(Endpoint.TARGET,
                "shop", "ALTER TABLE \"public\".\"orders\" DROP CONSTRAINT IF EXISTS \"positive\";\n"
                        + "ALTER DOMAIN \"public\".\"money\" DROP CONSTRAINT IF EXISTS \"cents\""));
        assertThat(((Action.RunSql) step(plan, "replicate.restore-checks.shop").action()).sql()).isEqualTo(
                "ALTER TABLE \"public\".\"orders\" DROP CONSTRAINT IF EXISTS \"positive\";\n"
                        + "ALTER TABLE \"public\".\"orders\" ADD CONSTRAINT \"positive\" CHECK ((id > 0)) NOT VALID;\n"
                        + "ALTER DOMAIN \"public\".\"money\" DROP CONSTRAINT IF EXISTS \"cents\";\n"
                        + "ALTER DOMAIN \"public\".\"money\" ADD CONSTRAINT \"cents\" CHECK ((VALUE >= 0)) NOT VALID");
        assertThat(step(plan, "replicate.restore-checks.shop").retrySafe()).isTrue();
        assertThat(plan.step("replicate.defer-checks.postgres")).isEmpty();
    }

    @Test
    void materializedViewsArePopulatedOnGreenBeforeTheCutoverAndRefreshedAfterTheSwitch() {
        assertThat(ids(plan(logical(true), Facts.healthy()))).noneMatch(id -> id.contains("refresh-views"));
        Facts facts = Facts.healthy().probe("logical-materialized-views", "shop", "schema_name", "rep",
                "relation_name", "Daily Sales");
        Plan plan = plan(logical(true), facts);
        assertThat(ids(plan)).containsSubsequence("replicate.initial-copy.shop", "replicate.refresh-views.shop",
                "replicate.caught-up.shop", "cutover.schema-check", "post.refresh-views.shop");
        Action refresh = new Action.RunSql(Endpoint.TARGET, "shop", "REFRESH MATERIALIZED VIEW \"rep\".\"Daily Sales\"");
        assertThat(step(plan, "replicate.refresh-views.shop").action()).isEqualTo(refresh);
        assertThat(step(plan, "post.refresh-views.shop").action()).isEqualTo(refresh);
        assertThat(step(plan, "replicate.refresh-views.shop").inOutage()).isFalse();
    }

    @Test
    void largeObjectsAreCopiedAtTheFrozenPointOnlyWhereThereAreAny() {
        assertThat(ids(plan(logical(true), Facts.healthy()))).noneMatch(id -> id.contains("large-objects"));
        Facts facts = Facts.healthy().probe("logical-large-objects", "shop", "large_objects", "3", "size_bytes",
                String.valueOf(500L * 1024 * 1024));
        Plan plan = plan(logical(true), facts);
        Step copy = step(plan, "cutover.large-objects.shop");
        assertThat(copy.action()).isEqualTo(new Action.CopyLargeObjects(Endpoint.SOURCE, Endpoint.TARGET, "shop"));
        assertThat(copy.inOutage()).isTrue();
        assertThat(copy.estimate()).isEqualTo(Duration.ofSeconds(11));
        assertThat(step(plan, "rollback.large-objects.shop").action())
                .isEqualTo(new Action.CopyLargeObjects(Endpoint.TARGET, Endpoint.SOURCE, "shop"));
        assertThat(plan.step("cutover.large-objects.postgres")).isEmpty();
        assertThat(ids(plan)).containsSubsequence("cutover.sequences.shop", "cutover.large-objects.shop",
                "cutover.verify-snapshot");
    }

    @Test
    void pgbouncerPausesClientsAndWithoutItLoginsAreBlocked() {
        Plan with = plan(logical(true), Facts.healthy());
        assertThat(step(with, "cutover.freeze").action()).isEqualTo(new Action.Pgbouncer(Action.Pgbouncer.Command.PAUSE));
        assertThat(step(with, "cutover.freeze").role()).isEqualTo(io.pgmigrate.plan.StepRole.FREEZE_WRITES);
        // whatever bypasses pgbouncer is fenced out at the freeze too, not only after the switch
        assertThat(step(with, "cutover.fence").action()).isEqualTo(new Action.Logins(Endpoint.SOURCE,
                Action.Logins.Change.BLOCK));
        assertThat(step(with, "cutover.fence").inOutage()).isTrue();
        assertThat(ids(with)).containsSubsequence("cutover.freeze", "cutover.fence", "cutover.prove-frozen",
                "cutover.wal-position", "cutover.stop-forward.shop", "cutover.nothing-left.shop",
                "cutover.reverse-publication.shop", "cutover.switch-clients");
        assertThat(step(with, "cutover.nothing-left.shop").action()).isEqualTo(Action.NothingUnreplicated.beyond(
                Endpoint.SOURCE, "shop", "pgmigrate_shop", "pgmigrate_shop", "pgmigrate_shop", "cutover.wal-position"));
        assertThat(step(with, "rollback.nothing-left.shop").action()).isEqualTo(Action.NothingUnreplicated.beyond(
                Endpoint.TARGET, "shop", "pgmigrate_rev_shop", "pgmigrate_rev_shop", "pgmigrate_rev_shop",
                "rollback.wal-position"));
        // after the switch, before blue's forward slot is dropped: nothing was written on blue directly since
        assertThat(step(with, "post.nothing-written-on-blue.shop").action()).isEqualTo(Action.NothingUnreplicated.writtenLocally(
                Endpoint.SOURCE, "shop", "pgmigrate_shop", "pgmigrate_shop"));
        assertThat(ids(with)).containsSubsequence("post.verify", "post.nothing-written-on-blue.shop",
                "post.drop-forward.shop");
        assertThat(step(with, "rollback.nothing-written-on-green.shop").action()).isEqualTo(
                Action.NothingUnreplicated.writtenLocally(Endpoint.TARGET, "shop", "pgmigrate_rev_shop",
                        "pgmigrate_rev_shop"));
        assertThat(step(with, "cutover.resume").action()).isEqualTo(new Action.Pgbouncer(Action.Pgbouncer.Command.RESUME));
        assertThat(step(with, "cutover.fence-blue").action()).isEqualTo(Action.Check.on(Action.CheckKind.LOGINS_FENCED,
                Endpoint.SOURCE, ((Action.Check) step(with, "cutover.fence-blue").action()).expected()));
        assertThat(step(with, "cutover.fence-blue").inOutage()).isFalse();
        assertThat(step(with, "rollback.fence").action()).isEqualTo(new Action.Logins(Endpoint.TARGET,
                Action.Logins.Change.BLOCK));

        Plan without = plan(logical(false), Facts.healthy());
        assertThat(step(without, "cutover.freeze").action()).isEqualTo(new Action.Logins(Endpoint.SOURCE,
                Action.Logins.Change.BLOCK));
        assertThat(without.step("cutover.resume")).isEmpty();
        assertThat(without.step("blue-restart.pause-clients")).isEmpty();
        assertThat(step(without, "cutover.fence-blue").action()).isInstanceOf(Action.Check.class);
        assertThat(step(without, "rollback.freeze").action()).isEqualTo(new Action.Logins(Endpoint.TARGET,
                Action.Logins.Change.BLOCK));
        assertThat(step(without, "rollback.unfence-blue").action()).isEqualTo(new Action.Logins(Endpoint.SOURCE,
                Action.Logins.Change.RESTORE));
        assertThat(step(without, "cutover.freeze").role()).isEqualTo(io.pgmigrate.plan.StepRole.FREEZE_WRITES);
        assertThat(PlanJson.write(without)).doesNotContain("\"pgbouncer\"");
    }

    @Test
    void awkwardDatabaseNamesAreQuotedEverywhere() {
        Facts facts = Facts.healthy();
        facts.databases.add(Facts.db("my \"db\"", 1000, 1));
        facts.databases.add(Facts.db("it's", 1000, 1));
        Plan plan = plan(logical(true), facts);
        LogicalNames my = LogicalNames.of("my \"db\"");
        assertThat(my.forward()).matches("pgmigrate_my__db__[0-9a-f]{8}");
        assertThat(LogicalNames.of("it's").forward()).matches("pgmigrate_it_s_[0-9a-f]{8}")
                .isNotEqualTo(LogicalNames.of("it_s").forward());

        Action.CreatePublication pub = (Action.CreatePublication) step(plan, "replicate.publication." + my.token())
                .action();
        assertThat(pub.database()).isEqualTo("my \"db\"");
        assertThat(pub.name()).isEqualTo(my.forward());
        assertThat(pub.sql()).isEqualTo("CREATE PUBLICATION \"" + my.forward() + "\" FOR ALL TABLES");
        Action.CreateSubscription sub = (Action.CreateSubscription) step(plan, "replicate.subscription." + my.token())
                .action();
        assertThat(sub.database()).isEqualTo("my \"db\"");
        assertThat(sub.sql()).isEqualTo("CREATE SUBSCRIPTION \"" + my.forward() + "\" CONNECTION 'dbname=''my \"db\"''"
                + " host=''/tmp'' port=''5432'' user=''postgres''' PUBLICATION \"" + my.forward() + "\" WITH"
                + " (copy_data = true, slot_name = '" + my.forward() + "')");
        String its = LogicalNames.of("it's").token();
        assertThat(((Action.CreateSubscription) step(plan, "replicate.subscription." + its).action()).sql())
                .as("an escape string: the conninfo's backslash cannot end the literal whatever the session's settings")
                .contains("CONNECTION E'dbname=''it\\\\''s''");
        Action.RunCommand dump = (Action.RunCommand) step(plan, "schema.dump." + its).action();
        assertThat(dump.argv()).contains("--dbname=host='/tmp' port='5432' user='postgres' dbname='it\\'s'");
        assertThat(dump.env()).containsEntry("PGOPTIONS", "-c standard_conforming_strings=on");
        assertThat(((Action.DropPublication) step(plan, "cleanup.reverse-publication." + my.token()).action()).sql())
                .isEqualTo("DROP PUBLICATION IF EXISTS \"pgmigrate_rev_" + my.token() + "\"");
        assertThat(PlanMarkdown.render(plan)).contains("Restore the schema of my \"db\" into green");
    }

    @Test
    void noPasswordTravelsInThePlan() {
        Plan plan = plan(logical(true), Facts.healthy());
        String json = PlanJson.write(plan);
        assertThat(json.toLowerCase()).doesNotContain("password=", "passfile=", "pgpassword");
        assertThat(json).contains("~/.pgpass");
        assertThatThrownBy(() -> new Action.CreateSubscription(Endpoint.TARGET, "d", "s", java.util.Map.of("password",
                "x"), "s", "s", true, false)).isInstanceOf(IllegalArgumentException.class);
        Action.RunCommand file = (Action.RunCommand) step(plan, "schema.globals-file").action();
        assertThat(file.argv()).containsExactly("install", "-m", "0600", "/dev/null",
                "/var/lib/postgresql/18/pgmigrate-orders-prod/globals.sql");
        assertThat(ids(plan)).containsSubsequence("schema.globals-file", "schema.globals-dump", "schema.globals-restore",
                "schema.globals-remove");
    }

    @Test
    void greenIsSizedForReplicationInBothDirections() {
        Plan plan = plan(logical(true), Facts.healthy());
        String conf = ((Action.WriteFile) step(plan, "green.settings").action()).content();
        // 2 databases × (1 apply + 2 sync workers)
        assertThat(conf).contains("wal_level = 'logical'", "port = '5433'", "max_logical_replication_workers = '6'",
                "max_worker_processes = '8'", "max_replication_slots = '10'", "max_active_replication_origins = '10'");
        assertThat(step(plan, "green.initdb").action()).isEqualTo(Action.RunCommand.of(List.of(
                "/usr/lib/postgresql/18/bin/initdb", "-D", "/var/lib/postgresql/18/main", "--username=postgres",
                "--encoding=UTF8", "--locale-provider=libc", "--lc-collate=C.UTF-8", "--lc-ctype=C.UTF-8",
                "--no-data-checksums")));
    }

    @Test
    void greenOnItsOwnHostRunsItsToolsThereAndReachesBlueByItsAddress() {
        Inventory base = logical(true);
        Inventory.SourceCluster s = base.source();
        Inventory.TargetCluster t = base.target();
        Inventory inv = new Inventory(base.name(), base.strategy(), new Inventory.SourceCluster(
                new Inventory.Host("db1.internal", null, null), s.pg(), true, s.dataDir(), s.binDir(), s.configFile(),
                s.service()), new Inventory.TargetCluster(t.version(), t.binDir(), t.dataDir(), 5432,
                new Inventory.Host("db2.internal", null, null)), base.options(), base.cutover(), base.smokeQueries(),
                base.file());
        Facts facts = Facts.healthy();
        facts.settings.put("listen_addresses", "*");
        Plan plan = plan(inv, facts);
        assertThat(step(plan, "green.initdb").host()).isEqualTo(io.pgmigrate.plan.HostRole.TARGET);
        assertThat(step(plan, "green.hba").action()).isEqualTo(new Action.CopyFile(io.pgmigrate.plan.HostRole.SOURCE,
                "/var/lib/postgresql/15/main/pg_hba.conf", io.pgmigrate.plan.HostRole.TARGET,
                "/var/lib/postgresql/18/main/pg_hba.conf", "0600"));
        assertThat(((Action.WriteFile) step(plan, "green.settings").action()).content())
                .contains("listen_addresses = '*'", "port = '5432'");
        assertThat(((Action.CreateSubscription) step(plan, "replicate.subscription.shop").action()).sql())
                .contains("CONNECTION 'dbname=''shop'' host=''db1.internal'' port=''5432'' sslmode=''prefer''"
                        + " user=''postgres'''");
        assertThat(((Action.CreateSubscription) step(plan, "cutover.reverse-subscription.shop").action()).sql())
                .contains("host=''db2.internal'' port=''5432''");
        assertThat(step(plan, "cutover.switch-clients").action()).isEqualTo(Action.RunCommand.of(List.of(
                "/usr/local/bin/point-clients", "--config", "/etc/app.ini", "green", "db2.internal", "5432")));
        assertThat(plan.ready()).as(plan.blockers().toString()).isTrue();

        // options.replicationSslmode: the subscriptions both ways and green's pg_dump of blue
        Inventory.Options o = base.options();
        Inventory verified = new Inventory(inv.name(), inv.strategy(), inv.source(), inv.target(),
                new Inventory.Options(o.mode(), o.jobs(), o.verify(), "verify-full"), inv.cutover(),
                inv.smokeQueries(), inv.file());
        Plan v = plan(verified, facts);
        assertThat(((Action.CreateSubscription) step(v, "replicate.subscription.shop").action()).sql())
                .contains("sslmode=''verify-full''");
        assertThat(((Action.CreateSubscription) step(v, "cutover.reverse-subscription.shop").action()).sql())
                .contains("sslmode=''verify-full''");
        assertThat(v.phases().stream().flatMap(p -> p.steps().stream()).map(Step::action)
                .filter(a -> a instanceof Action.RunCommand).map(a -> String.join(" ", ((Action.RunCommand) a).argv()))
                .filter(c -> c.contains("pg_dump"))).isNotEmpty().allMatch(c -> c.contains("sslmode='verify-full'"));
    }

    @Test
    void reverseReplicationAsksForOriginNoneOnlyWhereBlueKnowsIt() {
        Plan fifteen = plan(logical(true), Facts.healthy());
        String sql = ((Action.CreateSubscription) step(fifteen, "cutover.reverse-subscription.shop").action()).sql();
        assertThat(sql).startsWith("CREATE SUBSCRIPTION \"pgmigrate_rev_shop\" CONNECTION 'dbname=''shop'' host=''/tmp''"
                + " port=''5433''")
                .endsWith("WITH (copy_data = false, slot_name = 'pgmigrate_rev_shop')");
        Facts sixteen = Facts.healthy();
        sixteen.version = io.pgmigrate.pg.PgVersion.parse("16.9");
        sixteen.binariesVersion = sixteen.version;
        assertThat(((Action.CreateSubscription) step(plan(logical(true), sixteen), "cutover.reverse-subscription.shop")
                .action())
                .sql()).endsWith("WITH (copy_data = false, origin = none, slot_name = 'pgmigrate_rev_shop')");
    }

    @Test
    void withoutASwitchCommandThePlanIsBlocked() {
        Plan plan = plan(Inventories.logical(), Facts.healthy());
        assertThat(plan.ready()).isFalse();
        assertThat(plan.blockers()).extracting(Finding::check).contains("logical-client-switch");
        assertThat(step(plan, "cutover.switch-clients").action()).isInstanceOf(Action.Check.class);
        assertThat(plan(logical(false), Facts.healthy()).findings()).extracting(Finding::check)
                .doesNotContain("logical-client-switch");
        assertThat(plan(logical(false), Facts.healthy()).findings()).filteredOn(f -> f.severity() == Severity.BLOCKER)
                .isEmpty();
    }

    @Test
    void twoPlansOfTheSameClusterAreTheSame() {
        Plan a = plan(logical(true), Facts.healthy());
        Plan b = Planner.plan(logical(true), Facts.healthy().build(), AT.plusSeconds(3600));
        assertThat(b.digest()).isEqualTo(a.digest());
        assertThat(PlanJson.write(a)).isEqualTo(PlanJson.write(a));
    }
}
