package io.pgmigrate.execute;

import io.pgmigrate.journal.JournalEvent.FenceBefore;
import io.pgmigrate.plan.Action.FenceOldCluster;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fence on a host made of files in memory (and systemd units, which these machines cannot run): each kind fences,
 * is told to hold, can run again without changing anything, and is undone to exactly what was there before.
 */
class OldClusterFenceTest {
    private static final Duration T = Duration.ofSeconds(5);

    /** Files by path with their contents; {@code test -e}, {@code cat}, {@code mv}, atomic writes and systemctl. */
    static class FileShell implements HostShell {
        final Map<String, String> files = new TreeMap<>();
        final Set<String> enabledUnits = new HashSet<>();
        final List<List<String>> ran = new ArrayList<>();

        @Override
        public CommandResult run(List<String> argv, Duration timeout) {
            return run(argv, new byte[0], timeout);
        }

        @Override
        public CommandResult run(List<String> argv, byte[] stdin, Duration timeout) {
            ran.add(List.copyOf(argv));
            String last = argv.get(argv.size() - 1);
            switch (argv.get(0)) {
                case "test":
                    return new CommandResult(files.containsKey(last) ? 0 : 1, "", "");
                case "cat":
                    return files.containsKey(last) ? new CommandResult(0, files.get(last), "")
                            : new CommandResult(1, "", "cat: " + last + ": No such file or directory");
                case "rm":
                    files.remove(last);
                    return new CommandResult(0, "", "");
                case "mv": {
                    String from = argv.get(argv.size() - 2);
                    if (!files.containsKey(from)) {
                        return new CommandResult(1, "", "mv: cannot stat '" + from + "'");
                    }
                    files.put(last, files.remove(from));
                    return new CommandResult(0, "", "");
                }
                case "sh": // AtomicWrite: sh -c SCRIPT sh PATH MODE
                    files.put(argv.get(4), new String(stdin, StandardCharsets.UTF_8));
                    return new CommandResult(0, "", "");
                case "systemctl":
                    switch (argv.get(1)) {
                        case "enable" -> enabledUnits.add(last);
                        case "disable" -> enabledUnits.remove(last);
                        case "is-enabled" -> {
                            return new CommandResult(enabledUnits.contains(last) ? 0 : 1, "", "");
                        }
                        default -> {
                            return new CommandResult(1, "", "unknown");
                        }
                    }
                    return new CommandResult(0, "", "");
                default:
                    return new CommandResult(127, "", argv.get(0) + ": not found");
            }
        }

        @Override
        public String describe() {
            return "files";
        }

        @Override
        public void close() {
        }
    }

    private final FileShell host = new FileShell();
    private final OldClusterFence fence = new OldClusterFence(host, T);

    @Test
    void pgControlIsRenamedOnceAndNeverTwice() {
        host.files.put("/d/15/global/pg_control", "control");
        FenceOldCluster f = FenceOldCluster.pgControl("/d/15");
        assertThat(fence.holds(f)).isFalse();
        assertThat(fence.fence(f)).contains("renamed /d/15/global/pg_control to pg_control.old");
        assertThat(host.files).containsOnlyKeys("/d/15/global/pg_control.old");
        assertThat(fence.holds(f)).isTrue();
        // again (a retry, or --link/--swap where pg_upgrade renamed it): nothing moves
        assertThat(fence.fence(f)).contains("in place already", "not renamed twice");
        assertThat(host.files).containsOnlyKeys("/d/15/global/pg_control.old");
        assertThat(host.ran).filteredOn(a -> a.get(0).equals("mv")).hasSize(1);
    }

    @Test
    void pgControlBesideAnOldOneIsLeftToTheDba() {
        host.files.put("/d/15/global/pg_control", "control");
        host.files.put("/d/15/global/pg_control.old", "older");
        assertThatThrownBy(() -> fence.fence(FenceOldCluster.pgControl("/d/15"))).isInstanceOf(StepFailure.class)
                .hasMessageContaining("does not overwrite either");
        assertThat(host.files).containsEntry("/d/15/global/pg_control", "control")
                .containsEntry("/d/15/global/pg_control.old", "older");
        assertThatThrownBy(() -> fence.fence(FenceOldCluster.pgControl("/elsewhere"))).isInstanceOf(StepFailure.class)
                .hasMessageContaining("no /elsewhere/global/pg_control");
    }

    @Test
    void startConfIsKeptThenDisabledAndTheNewClusterStartsAsTheOldOneDid() {
        String original = "# Automatic startup configuration\n#   auto: automatically start the cluster\n\nauto\n";
        host.files.put("/etc/postgresql/15/main/start.conf", original);
        host.files.put("/etc/postgresql/18/main/start.conf", "manual\n");
        FenceOldCluster f = FenceOldCluster.startConf("/etc/postgresql/15/main", "/etc/postgresql/18/main");
        assertThat(fence.holds(f)).isFalse();

        assertThat(fence.fence(f)).contains("says disabled", "(auto)");
        assertThat(host.files.get("/etc/postgresql/15/main/start.conf.pgmigrate")).isEqualTo(original);
        assertThat(host.files.get("/etc/postgresql/18/main/start.conf")).isEqualTo(original);
        assertThat(host.files.get("/etc/postgresql/15/main/start.conf")).endsWith("\ndisabled\n")
                .contains("/etc/postgresql/18/main", "start.conf.pgmigrate");
        assertThat(OldClusterFence.mode(host.files.get("/etc/postgresql/15/main/start.conf"))).isEqualTo("disabled");
        assertThat(fence.holds(f)).isTrue();

        // run again (a retry after a crash): the kept file stays the original, nothing else changes
        Map<String, String> before = new TreeMap<>(host.files);
        fence.fence(f);
        assertThat(host.files).isEqualTo(before);

        assertThat(fence.undo(f, null)).containsExactly("set the new cluster's start.conf to manual",
                "restored the old cluster's start.conf (from start.conf.pgmigrate)");
        assertThat(host.files.get("/etc/postgresql/15/main/start.conf")).isEqualTo(original);
        assertThat(host.files).doesNotContainKey("/etc/postgresql/15/main/start.conf.pgmigrate");
        assertThat(host.files.get("/etc/postgresql/18/main/start.conf")).isEqualTo("manual\n");
        assertThat(fence.holds(f)).isFalse();
        assertThat(fence.undo(f, null)).as("nothing kept any more: the old start.conf is left alone")
                .containsExactly("set the new cluster's start.conf to manual");
    }

    @Test
    void aManualOldClusterStaysManualInTheNewOne() {
        host.files.put("/c/15/x/start.conf", "manual\n");
        host.files.put("/c/18/x/start.conf", "manual\n");
        FenceOldCluster f = FenceOldCluster.startConf("/c/15/x", "/c/18/x");
        assertThat(fence.fence(f)).contains("(manual)");
        assertThat(host.files.get("/c/18/x/start.conf")).isEqualTo("manual\n");
        assertThat(OldClusterFence.mode(host.files.get("/c/15/x/start.conf"))).isEqualTo("disabled");
    }

    @Test
    void withoutAStartConfTheOldClusterWasAuto() {
        FenceOldCluster f = FenceOldCluster.startConf("/c/15/x", "/c/18/x");
        fence.fence(f);
        assertThat(host.files.get("/c/18/x/start.conf")).isEqualTo("auto\n");
        assertThat(host.files.get("/c/15/x/start.conf.pgmigrate")).isEqualTo("auto\n");
    }

    @Test
    void systemdDisablesTheOldUnitAndEnablesTheNewOneByArgv() {
        host.enabledUnits.add("postgresql@15-main");
        FenceOldCluster f = FenceOldCluster.systemd("postgresql@15-main", "postgresql@18-main");
        assertThat(fence.holds(f)).isFalse();
        assertThat(fence.fence(f)).isEqualTo("disabled postgresql@15-main, enabled postgresql@18-main");
        assertThat(host.ran).containsExactly(
                List.of("systemctl", "is-enabled", "--quiet", "--", "postgresql@15-main"),
                List.of("systemctl", "disable", "--", "postgresql@15-main"),
                List.of("systemctl", "enable", "--", "postgresql@18-main"));
        assertThat(host.enabledUnits).containsExactly("postgresql@18-main");
        assertThat(fence.holds(f)).isTrue();

        host.ran.clear();
        assertThat(fence.undo(f, null)).containsExactly("disabled postgresql@18-main, enabled postgresql@15-main again");
        assertThat(host.ran).containsExactly(
                List.of("systemctl", "disable", "--", "postgresql@18-main"),
                List.of("systemctl", "enable", "--", "postgresql@15-main"));
        assertThat(host.enabledUnits).containsExactly("postgresql@15-main");
    }

    @Test
    void aSystemctlThatFailsFailsTheStepWithItsLine() {
        HostShell broken = new FileShell() {
            @Override
            public CommandResult run(List<String> argv, byte[] stdin, Duration timeout) {
                return new CommandResult(1, "", "System has not been booted with systemd as init system (PID 1).");
            }
        };
        assertThatThrownBy(() -> new OldClusterFence(broken, T).fence(FenceOldCluster.systemd("a", "b")))
                .isInstanceOf(StepFailure.class)
                .hasMessageContaining("'systemctl disable -- a' on files exited 1: System has not been booted");
    }

    @Test
    void startConfIsRestoredExactlyAsRecordedBeforeTheFence() {
        String original = "# local edits\nauto\n";
        host.files.put("/etc/postgresql/15/main/start.conf", original);
        host.files.put("/etc/postgresql/18/main/start.conf", "# pgmigrate: manual until\nmanual\n");
        FenceOldCluster f = FenceOldCluster.startConf("/etc/postgresql/15/main", "/etc/postgresql/18/main");
        FenceBefore before = fence.before(f);
        assertThat(before).isEqualTo(new FenceBefore(original, "# pgmigrate: manual until\nmanual\n", null, null));
        Map<String, String> was = new TreeMap<>(host.files);
        fence.fence(f);
        assertThat(OldClusterFence.mode(host.files.get("/etc/postgresql/18/main/start.conf"))).isEqualTo("auto");

        assertThat(fence.undo(f, before)).containsExactly("restored the new cluster's start.conf (manual)",
                "restored the old cluster's start.conf (auto)");
        assertThat(host.files).as("byte for byte what was there, the kept copy gone").isEqualTo(was);
        assertThat(fence.undo(f, before)).as("again: nothing left to do").isEmpty();
    }

    @Test
    void aMissingStartConfIsMissingAgainAfterTheUndo() {
        host.files.put("/c/18/x/start.conf", "manual\n");
        FenceOldCluster f = FenceOldCluster.startConf("/c/15/x", "/c/18/x");
        FenceBefore before = fence.before(f);
        fence.fence(f);
        assertThat(fence.undo(f, before)).contains("removed the old cluster's start.conf (there was none)");
        assertThat(host.files).containsOnlyKeys("/c/18/x/start.conf");
    }

    @Test
    void systemdUnitsGoBackToWhatWasRecordedNotToAGuess() {
        // the old unit was not enabled (started by hand), the new one was enabled already
        host.enabledUnits.add("pg18.service");
        FenceOldCluster f = FenceOldCluster.systemd("pg15.service", "pg18.service");
        FenceBefore before = fence.before(f);
        assertThat(before).isEqualTo(new FenceBefore(null, null, false, true));
        fence.fence(f);
        host.ran.clear();
        assertThat(fence.undo(f, before)).isEmpty();
        assertThat(host.ran).as("no systemctl enable of a unit that was disabled").isEmpty();
        assertThat(host.enabledUnits).containsExactly("pg18.service");

        host.enabledUnits.clear();
        host.enabledUnits.add("pg15.service");
        FenceBefore usual = fence.before(f);
        fence.fence(f);
        host.ran.clear();
        assertThat(fence.undo(f, usual)).containsExactly("disabled pg18.service, enabled pg15.service again");
        assertThat(host.ran).containsExactly(List.of("systemctl", "disable", "--", "pg18.service"),
                List.of("systemctl", "enable", "--", "pg15.service"));
        assertThat(host.enabledUnits).containsExactly("pg15.service");
    }
}
