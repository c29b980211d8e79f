package io.pgmigrate.check.cluster;

import io.pgmigrate.core.Bytes;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** settings, loadable-libraries, target-build. */
class SettingsAndLibrariesTest {
    @Test
    void removedAndRenamedSettingsBetween15And18() {
        Facts f = Facts.healthy();
        f.nonDefaultSettings.put("vacuum_defer_cleanup_age", "1000");
        f.nonDefaultSettings.put("force_parallel_mode", "on");
        f.nonDefaultSettings.put("old_snapshot_threshold", "60");
        f.nonDefaultSettings.put("stats_temp_directory", "/run/pg");
        List<Finding> found = Run.check(new SettingsCheck(), f);
        assertThat(found).hasSize(2).allMatch(x -> x.severity() == Severity.WARNING);
        assertThat(found.get(0).objects()).containsExactly(
                "old_snapshot_threshold = 60 (removed in PostgreSQL 17)",
                "vacuum_defer_cleanup_age = 1000 (removed in PostgreSQL 16; use hot_standby_feedback or a replication slot on the standby)");
        assertThat(found.get(0).detail()).contains("leaves them out");
        assertThat(found.get(1).objects()).containsExactly(
                "force_parallel_mode = on (renamed to debug_parallel_query in PostgreSQL 16)");
    }

    @Test
    void settingsLeftOutByInspectionAreNamed() {
        Facts f = Facts.healthy();
        f.settingsNotRecorded.addAll(List.of("myapp.tenant", "pgaudit.log"));
        List<Finding> found = Run.check(new SettingsCheck(), f);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).severity()).isEqualTo(Severity.WARNING);
        assertThat(found.get(0).title()).startsWith("2 configured setting(s) not carried over");
        assertThat(found.get(0).objects()).containsExactly("myapp.tenant", "pgaudit.log");
    }

    @Test
    void removalsBeforeTheSourceDoNotCount() {
        Facts f = Facts.healthy();
        f.version = PgVersion.parse("16.4");
        f.nonDefaultSettings.put("vacuum_defer_cleanup_age", "1000");
        assertThat(Run.check(new SettingsCheck(), f)).isEmpty();
    }

    @Test
    void preloadedLibraryMissingOnTargetIsABlocker() {
        Facts f = Facts.healthy();
        f.settings.put("shared_preload_libraries", "pg_stat_statements, \"timescaledb\", $libdir/pg_cron");
        Finding x = Run.check(new SettingsCheck(), f).get(0);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.objects()).containsExactly("shared_preload_libraries: timescaledb",
                "shared_preload_libraries: $libdir/pg_cron");
        assertThat(x.detail()).contains("/usr/lib/postgresql/18/lib");
    }

    @Test
    void bytesInHumanUnits() {
        assertThat(Bytes.human(512)).isEqualTo("512 B");
        assertThat(Bytes.human(1536)).isEqualTo("1.5 KiB");
        assertThat(Bytes.human(250L * Bytes.GIB)).isEqualTo("250 GiB");
    }
}
