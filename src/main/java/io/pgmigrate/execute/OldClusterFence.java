package io.pgmigrate.execute;

import io.pgmigrate.journal.JournalEvent.FenceBefore;
import io.pgmigrate.plan.Action.FenceOldCluster;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Does {@link FenceOldCluster} on the database host, tells whether it holds (the step's completion probe) and undoes
 * it (a rollback that may still go back). Every part can run again: what is in place already is left as it is.
 * <ul>
 *   <li>PG_CONTROL: {@code global/pg_control} renamed to {@code pg_control.old}, unless pg_upgrade --link or --swap
 *   did so already; the rollback's rename back undoes it.</li>
 *   <li>START_CONF: the old start.conf is kept once as {@code start.conf.pgmigrate}; the new cluster's start.conf gets
 *   its contents (the new cluster starts at boot as the old one did); the old one then says {@code disabled}, which
 *   pg_ctlcluster, the postgresql@ units and the boot refuse. Undone by renaming the kept file back.</li>
 *   <li>SYSTEMD: the old unit disabled, the new one enabled; undone the other way round.</li>
 * </ul>
 */
public final class OldClusterFence {
    private static final String MODE = "0644";

    private final HostShell sh;
    private final Duration timeout;

    public OldClusterFence(HostShell sh, Duration timeout) {
        this.sh = sh;
        this.timeout = timeout;
    }

    /** The old cluster fenced; returns what was done, for the journal. Throws {@link StepFailure} on a failure. */
    public String fence(FenceOldCluster f) {
        return switch (f.fence()) {
            case PG_CONTROL -> renameControl(f.oldDataDir());
            case START_CONF -> startConf(f);
            case SYSTEMD -> {
                for (List<String> argv : f.systemdFence()) {
                    run(argv);
                }
                yield "disabled " + f.oldUnit() + ", enabled " + f.newUnit();
            }
        };
    }

    /** Whether the fence holds on the host now. */
    public boolean holds(FenceOldCluster f) {
        return switch (f.fence()) {
            case PG_CONTROL -> !exists(control(f.oldDataDir())) && exists(control(f.oldDataDir()) + ".old");
            case START_CONF -> {
                String kept = read(f.oldConfigDir() + "/" + FenceOldCluster.KEPT_START_CONF);
                yield kept != null && disabled(f).equals(read(f.oldConfigDir() + "/start.conf"))
                        && kept.equals(read(f.newConfigDir() + "/start.conf"));
            }
            case SYSTEMD -> !enabled(f.oldUnit()) && enabled(f.newUnit());
        };
    }

    /**
     * What the fence changes, as it is now (before it runs): each start.conf's text, or whether each unit is enabled.
     * Null for PG_CONTROL, which the rollback's rename back undoes whatever was recorded.
     */
    public FenceBefore before(FenceOldCluster f) {
        return switch (f.fence()) {
            case PG_CONTROL -> null;
            case START_CONF -> new FenceBefore(read(f.oldConfigDir() + "/start.conf"),
                    read(f.newConfigDir() + "/start.conf"), null, null);
            case SYSTEMD -> new FenceBefore(null, null, enabled(f.oldUnit()), enabled(f.newUnit()));
        };
    }

    /**
     * Back to the arrangement before the fence, before the old cluster is started again: exactly what {@code before}
     * recorded (each start.conf as it was, or absent; each unit enabled or disabled as it was). Without a record (a
     * journal of an earlier pgmigrate), the kept start.conf is renamed back and the new cluster's says {@code manual},
     * or the new unit is disabled and the old one enabled. PG_CONTROL is undone by the rename back that every rollback
     * does. Returns what was done (may be empty).
     */
    public List<String> undo(FenceOldCluster f, FenceBefore before) {
        List<String> done = new ArrayList<>();
        switch (f.fence()) {
            case PG_CONTROL -> {
            }
            case START_CONF -> {
                String kept = f.oldConfigDir() + "/" + FenceOldCluster.KEPT_START_CONF;
                String oldConf = f.oldConfigDir() + "/start.conf";
                String newConf = f.newConfigDir() + "/start.conf";
                if (before != null) {
                    restore(newConf, before.newStartConf(), "the new cluster's", done);
                    restore(oldConf, before.oldStartConf(), "the old cluster's", done);
                    if (exists(kept)) {
                        run(List.of("rm", "-f", "--", kept));
                    }
                    break;
                }
                if (exists(newConf)) {
                    write(newConf, "manual\n");
                    done.add("set the new cluster's start.conf to manual");
                }
                if (exists(kept)) {
                    run(List.of("mv", "-f", "--", kept, oldConf));
                    done.add("restored the old cluster's start.conf (from " + FenceOldCluster.KEPT_START_CONF + ")");
                }
            }
            case SYSTEMD -> {
                boolean newWas = before != null && Boolean.TRUE.equals(before.newUnitEnabled());
                boolean oldWas = before == null || Boolean.TRUE.equals(before.oldUnitEnabled());
                List<String> undone = new ArrayList<>();
                if (!newWas) {
                    run(FenceOldCluster.systemdDisable(f.newUnit()));
                    undone.add("disabled " + f.newUnit());
                }
                if (oldWas) {
                    run(FenceOldCluster.systemdEnable(f.oldUnit()));
                    undone.add("enabled " + f.oldUnit() + " again");
                }
                if (!undone.isEmpty()) {
                    done.add(String.join(", ", undone));
                }
            }
        }
        return done;
    }

    /** A start.conf back to what it said (removed when there was none), unless it says so already. */
    private void restore(String path, String was, String whose, List<String> done) {
        String now = read(path);
        if (java.util.Objects.equals(now, was)) {
            return;
        }
        if (was == null) {
            run(List.of("rm", "-f", "--", path));
            done.add("removed " + whose + " start.conf (there was none)");
        } else {
            write(path, was);
            done.add("restored " + whose + " start.conf (" + mode(was) + ")");
        }
    }

    /** Whether a systemd unit is enabled (exit 0 of systemctl is-enabled). */
    private boolean enabled(String unit) {
        return sh.run(FenceOldCluster.systemdIsEnabled(unit), timeout).ok();
    }

    private String renameControl(String dataDir) {
        String control = control(dataDir);
        boolean current = exists(control);
        boolean old = exists(control + ".old");
        if (!current && old) {
            return control + ".old in place already (pg_upgrade --link/--swap, or an earlier attempt): not renamed"
                    + " twice";
        }
        if (current && old) {
            throw new StepFailure("both " + control + " and " + control + ".old exist on " + sh.describe()
                    + ": pgmigrate does not overwrite either; look at them and rename by hand");
        }
        if (!current) {
            throw new StepFailure("no " + control + " on " + sh.describe() + ": is " + dataDir
                    + " the old cluster's data directory?");
        }
        run(List.of("mv", "--", control, control + ".old"));
        return "renamed " + control + " to pg_control.old: the old cluster cannot start";
    }

    private String startConf(FenceOldCluster f) {
        String old = f.oldConfigDir() + "/start.conf";
        String kept = f.oldConfigDir() + "/" + FenceOldCluster.KEPT_START_CONF;
        if (!exists(kept)) {
            String was = read(old);
            // no start.conf means auto to postgresql-common
            write(kept, was == null ? "auto\n" : was);
        }
        String was = read(kept);
        if (was == null) {
            throw new StepFailure("cannot read " + kept + " on " + sh.describe());
        }
        write(f.newConfigDir() + "/start.conf", was);
        write(old, disabled(f));
        return "the old cluster's start.conf says disabled (kept as " + FenceOldCluster.KEPT_START_CONF + "), the new"
                + " cluster's says what the old one said (" + mode(was) + ")";
    }

    /** The old cluster's start.conf while it is fenced. */
    static String disabled(FenceOldCluster f) {
        return "# pgmigrate: this cluster was upgraded in place; the new cluster is " + f.newConfigDir() + ".\n"
                + "# Its files are an old copy and it would take the new cluster's port: it must not start.\n"
                + "# pgmigrate rollback restores the start.conf kept beside this one (" + FenceOldCluster.KEPT_START_CONF
                + ").\n"
                + "disabled\n";
    }

    /** The mode a start.conf sets (its first line that is not a comment), for messages. */
    static String mode(String startConf) {
        return startConf.lines().map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty()).findFirst()
                .orElse("auto");
    }

    private static String control(String dataDir) {
        return dataDir + "/" + FenceOldCluster.CONTROL;
    }

    private boolean exists(String path) {
        return sh.exists(path, timeout);
    }

    /** A file's contents, or null when it does not exist. */
    private String read(String path) {
        if (!exists(path)) {
            return null;
        }
        CommandResult r = sh.run(List.of("cat", "--", path), timeout);
        if (!r.ok()) {
            throw new StepFailure("cannot read " + path + " on " + sh.describe() + ": " + r.lastErrorLine());
        }
        return r.stdout();
    }

    private void write(String path, String content) {
        CommandResult r = AtomicWrite.write(sh, path, MODE, content, timeout);
        if (!r.ok()) {
            throw new StepFailure("cannot write " + path + " on " + sh.describe() + ": " + r.lastErrorLine());
        }
    }

    private void run(List<String> argv) {
        CommandResult r = sh.run(argv, timeout);
        if (!r.ok()) {
            throw new StepFailure("'" + String.join(" ", argv) + "' on " + sh.describe() + " exited " + r.exitCode()
                    + ": " + r.lastErrorLine());
        }
    }
}
