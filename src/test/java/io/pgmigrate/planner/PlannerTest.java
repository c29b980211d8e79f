package io.pgmigrate.planner;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.PlanMarkdown;
import io.pgmigrate.plan.Step;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlannerTest {
    private static final Instant AT = Instant.parse("2026-11-24T10:00:00Z");

    private static Step step(Plan plan, String id) {
        return plan.step(id).orElseThrow(() -> new AssertionError("no step " + id));
    }

    private static List<String> argv(Plan plan, String id) {
        return ((Action.RunCommand) step(plan, id).action()).argv();
    }

    @Test
    void sourceWithoutChecksumsGetsNoDataChecksumsOnEighteen() {
        Plan plan = Planner.plan(Inventories.sample(), Facts.healthy().build(), AT);
        assertThat(argv(plan, "prepare.initdb")).contains("--no-data-checksums").doesNotContain("--data-checksums");
        assertThat(argv(plan, "preflight.scratch-initdb")).contains("--no-data-checksums");
    }

    @Test
    void sourceWithChecksumsKeepsThem() {
        Facts f = Facts.healthy();
        f.dataChecksums = true;
        Plan plan = Planner.plan(Inventories.sample(), f.build(), AT);
        assertThat(argv(plan, "prepare.initdb")).contains("--data-checksums").doesNotContain("--no-data-checksums");
    }

    @Test
    void initdbMatchesTheOldTemplateLocaleEncodingAndSuperuser() {
        Facts f = Facts.healthy();
        f.bootstrapSuperuser = "dba";
        f.databases.add(0, Facts.db("template0", 7_000_000, 290));
        f.databases.set(0, new io.pgmigrate.facts.SourceFacts.DatabaseFacts("template0", "LATIN1", "de_DE.ISO-8859-1",
                "de_DE.ISO-8859-1", "libc", null, false, -1, true, 7_000_000, 290, List.of(), 7_000_000));
        Plan plan = Planner.plan(Inventories.sample(), f.build(), AT);
        assertThat(argv(plan, "prepare.initdb")).containsSubsequence("/usr/lib/postgresql/18/bin/initdb", "-D",
                        "/var/lib/postgresql/18/main")
                .contains("--username=dba", "--encoding=LATIN1", "--locale-provider=libc",
                        "--lc-collate=de_DE.ISO-8859-1", "--lc-ctype=de_DE.ISO-8859-1");
    }

    @Test
    void pgUpgradeRunsWithThePlannedModeJobsAndPortsAndIsNeverRetried() {
        Plan plan = Planner.plan(Inventories.withMode(UpgradeMode.LINK), Facts.healthy().build(), AT);
        Step up = step(plan, "outage.pg-upgrade");
        assertThat(((Action.RunCommand) up.action()).argv()).contains("--link", "--jobs=4", "--old-port=5432",
                "--new-port=5433", "--old-datadir=/var/lib/postgresql/15/main",
                "--new-datadir=/var/lib/postgresql/18/main", "--username=postgres").doesNotContain("--check");
        assertThat(up.retrySafe()).isFalse();
        assertThat(up.inOutage()).isTrue();
        assertThat(argv(plan, "preflight.pg-upgrade-check")).contains("--check", "--link",
                "--new-datadir=/var/lib/postgresql/18/main.pgmigrate-check");
    }

    @Test
    void pointOfNoReturnFollowsThePgUpgradeDocumentation() {
        assertThat(noReturn(UpgradeMode.SWAP, false)).containsExactly("outage.pg-upgrade");
        assertThat(noReturn(UpgradeMode.LINK, false)).containsExactly("outage.start-new");
        assertThat(noReturn(UpgradeMode.COPY, false)).containsExactly("outage.start-new");
        assertThat(noReturn(UpgradeMode.CLONE, true)).containsExactly("post.resume-clients");
    }

    private static List<String> noReturn(UpgradeMode mode, boolean pgbouncer) {
        Inventory inv = Inventories.withMode(mode);
        if (pgbouncer) {
            inv = withPgbouncer(inv);
        }
        return Planner.plan(inv, Facts.healthy().build(), AT).phases().stream().flatMap(p -> p.steps().stream())
                .filter(s -> s.marker() == Marker.POINT_OF_NO_RETURN).map(Step::id).toList();
    }

    static Inventory withPgbouncer(Inventory inv) {
        return new Inventory(inv.name(), inv.strategy(), inv.source(), inv.target(), inv.options(),
                new Inventory.Cutover(new Inventory.Pgbouncer("127.0.0.1", 6432, "pgbouncer")), inv.smokeQueries(),
                inv.file());
    }

    @Test
    void pgbouncerIsPausedBeforeTheStopAndResumedOnceASnapshotForTheVerificationIsHeld() {
        Plan plan = Planner.plan(withPgbouncer(Inventories.withMode(UpgradeMode.SWAP)), Facts.healthy().build(), AT);
        assertThat(ids(plan)).containsSubsequence("outage.pause-clients", "outage.checkpoint", "outage.baseline",
                "outage.stop-old", "outage.pg-upgrade", "outage.start-new", "post.verify-snapshot",
                "post.resume-clients", "post.verify");
        assertThat(step(plan, "outage.pause-clients").action())
                .isEqualTo(new Action.Pgbouncer(Action.Pgbouncer.Command.PAUSE));
        assertThat(step(plan, "post.verify-snapshot").inOutage()).isTrue();
        assertThat(step(plan, "post.verify").inOutage()).as("past the point of no return clients need not wait")
                .isFalse();
        assertThat(ids(Planner.plan(Inventories.sample(), Facts.healthy().build(), AT)))
                .doesNotContain("outage.pause-clients", "post.resume-clients").contains("post.verify-snapshot");
    }

    @Test
    void copyBehindPgbouncerVerifiesBeforeClientsReturnWhileTheWayBackIsOpen() {
        Plan plan = Planner.plan(withPgbouncer(Inventories.withMode(UpgradeMode.COPY)), Facts.healthy().build(), AT);
        assertThat(ids(plan)).containsSubsequence("outage.start-new", "post.verify", "post.resume-clients")
                .doesNotContain("post.verify-snapshot");
        assertThat(step(plan, "post.verify").inOutage()).isTrue();
    }

    private static List<String> ids(Plan plan) {
        return plan.phases().stream().flatMap(p -> p.steps().stream()).map(Step::id).toList();
    }

    @Test
    void settingsAreCarriedWithRenamesAndWithoutSecretsOrOldPaths() {
        Facts f = Facts.healthy();
        f.nonDefaultSettings.put("force_parallel_mode", "on");
        f.nonDefaultSettings.put("vacuum_defer_cleanup_age", "5");
        f.nonDefaultSettings.put("hba_file", "/etc/postgresql/15/main/pg_hba.conf");
        f.nonDefaultSettings.put("work_mem", "65536");
        f.nonDefaultSettings.put("search_path", "\"$user\", public, 'odd'");
        Action.WriteFile conf = (Action.WriteFile) step(Planner.plan(Inventories.sample(), f.build(), AT),
                "prepare.settings").action();
        assertThat(conf.path()).isEqualTo("/var/lib/postgresql/18/main/postgresql.auto.conf");
        assertThat(conf.content()).contains("debug_parallel_query = 'on'", "work_mem = '65536'", "port = '5432'",
                        "search_path = '\"$user\", public, ''odd'''")
                .doesNotContain("force_parallel_mode", "vacuum_defer_cleanup_age", "hba_file");
    }

    @Test
    void outageIsTheSumOfTheStepsInsideItAndGrowsWithCopyMode() {
        Plan swap = Planner.plan(Inventories.sample(), Facts.healthy().build(), AT);
        long inOutage = swap.phases().stream().flatMap(p -> p.steps().stream()).filter(Step::inOutage)
                .mapToLong(s -> s.estimate().getSeconds()).sum();
        assertThat(swap.estimates().outage().getSeconds()).isEqualTo(inOutage);
        Plan copy = Planner.plan(Inventories.withMode(UpgradeMode.COPY), Facts.healthy().build(), AT);
        assertThat(copy.estimates().outage()).isGreaterThan(swap.estimates().outage());
    }

    @Test
    void samePlanTwiceIsByteIdenticalApartFromTheTimestamp() {
        Plan a = Planner.plan(Inventories.sample(), Facts.healthy().build(), AT);
        Plan b = Planner.plan(Inventories.sample(), Facts.healthy().build(), Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(PlanJson.write(b).replace("2026-12-01T00:00:00Z", "2026-11-24T10:00:00Z")).isEqualTo(PlanJson.write(a));
        assertThat(PlanMarkdown.render(b).replace("2026-12-01T00:00:00Z", "2026-11-24T10:00:00Z"))
                .isEqualTo(PlanMarkdown.render(a));
        assertThat(a.digest()).isEqualTo(b.digest());
    }

    @Test
    void markdownShowsWhereTheWayBackCloses() {
        String md = PlanMarkdown.render(Planner.plan(Inventories.withMode(UpgradeMode.LINK), Facts.healthy().build(), AT));
        assertThat(md).contains("POINT OF NO RETURN", "ROLLBACK POINT", "global/pg_control.old", "**in outage**",
                "--no-data-checksums");
        assertThat(md.indexOf("⟲ **ROLLBACK POINT**")).isPositive()
                .isLessThan(md.indexOf("⛔ **POINT OF NO RETURN**"));
        assertThat(md.lastIndexOf("⟲ **ROLLBACK POINT**")).isLessThan(md.indexOf("⛔ **POINT OF NO RETURN**"));
    }

    @Test
    void debianLayoutPassesTheConfigFileAndStopsThroughPgCtlcluster() {
        Inventory base = Inventories.sample();
        Inventory.SourceCluster s = base.source();
        Inventory debian = new Inventory(base.name(), base.strategy(), new Inventory.SourceCluster(s.host(), s.pg(),
                s.tunnel(), s.dataDir(), s.binDir(), Path.of("/etc/postgresql/15/main/postgresql.conf"),
                new Inventory.ServiceControl(Inventory.ServiceControl.Kind.PG_CTLCLUSTER, null)), base.target(),
                base.options(), base.cutover(), base.smokeQueries(), base.file());
        Plan plan = Planner.plan(debian, Facts.healthy().build(), AT);
        assertThat(argv(plan, "outage.pg-upgrade")).contains("--old-options=-c config_file=/etc/postgresql/15/main/postgresql.conf");
        assertThat(argv(plan, "outage.stop-old")).containsExactly("pg_ctlcluster", "15", "main", "stop", "-m", "fast");
    }
}
