package io.pgmigrate.check.cluster;

import io.pgmigrate.pg.SettingChanges;
import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.pg.SettingChanges.Change;
import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.facts.TargetFacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The source's configuration carried over to the new cluster: settings the target version removed or
 * renamed, and preloaded libraries the target does not have (the new server would not start).
 */
public final class SettingsCheck implements PreCheck {
    public static final String ID = "settings";
    static final List<String> PRELOAD = List.of("shared_preload_libraries", "session_preload_libraries");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        List<Finding> out = new ArrayList<>();
        removed(in, out);
        notRecorded(in, out);
        preload(in.source(), in.target(), in.path().targetMajor(), out);
        return out;
    }

    private static void removed(CheckInput in, List<Finding> out) {
        int source = PgVersion.scaled(in.source().version());
        int target = PgVersion.scaled(in.path().targetMajor());
        List<String> dropped = new ArrayList<>();
        List<String> renamed = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(in.source().nonDefaultSettings()).entrySet()) {
            Change c = SettingChanges.find(e.getKey());
            int gone = c == null ? 0 : PgVersion.scaled(c.removedIn());
            if (c == null || gone <= source || gone > target) {
                continue;
            }
            String note = c.note() == null ? "" : "; " + c.note();
            String setting = e.getKey() + " = " + e.getValue();
            if (c.replacement() == null) {
                dropped.add(setting + " (removed in PostgreSQL " + c.removedIn() + note + ")");
            } else {
                renamed.add(setting + " (renamed to " + c.replacement() + " in PostgreSQL " + c.removedIn() + note
                        + ")");
            }
        }
        if (!dropped.isEmpty()) {
            out.add(Finding.warning(ID, dropped.size() + " configured setting(s) no longer exist in PostgreSQL "
                            + in.path().targetMajor(),
                    "A configuration that sets them would stop the new server from starting; the plan leaves them "
                            + "out of the new cluster's configuration.",
                    dropped, "nothing to do for the plan; remove them from the configuration you manage "
                            + "(postgresql.conf templates, ALTER SYSTEM RESET) and replace what they did"));
        }
        if (!renamed.isEmpty()) {
            out.add(Finding.warning(ID, renamed.size() + " configured setting(s) renamed in PostgreSQL "
                            + in.path().targetMajor(),
                    "The plan writes them under their new names in the new cluster's configuration.",
                    renamed, "use the new names in the configuration you manage"));
        }
    }

    /** Text settings off the allowlist of what pgmigrate records: the new cluster does not get them. */
    private static void notRecorded(CheckInput in, List<Finding> out) {
        List<String> left = in.source().settingsNotRecorded();
        if (left.isEmpty()) {
            return;
        }
        out.add(Finding.warning(ID, left.size() + " configured setting(s) not carried over to the new cluster",
                "pgmigrate records only settings on its allowlist (booleans, numbers, fixed choices and named text"
                        + " settings such as library lists, addresses and paths); free-text settings such as commands,"
                        + " connection strings and custom settings could hold a secret, so their values are neither"
                        + " read into the plan nor written to the new cluster's configuration.",
                left, "set them on the new cluster yourself once it runs (ALTER SYSTEM SET or the configuration you"
                        + " manage), or accept that it runs without them"));
    }

    private static void preload(SourceFacts s, TargetFacts t, int major, List<Finding> out) {
        List<String> missing = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        for (String setting : PRELOAD) {
            String value = s.settings().getOrDefault(setting, s.nonDefaultSettings().get(setting));
            for (String lib : Libraries.splitList(value)) {
                if (Libraries.outsideLibdir(lib)) {
                    unchecked.add(setting + ": " + lib);
                } else if (!Libraries.present(lib, t.libraries())) {
                    missing.add(setting + ": " + lib);
                }
            }
        }
        if (!missing.isEmpty()) {
            out.add(Finding.blocker(ID, "Preloaded libraries missing from the target PostgreSQL " + major,
                    "The new server loads them at start (pg_upgrade starts it with the carried-over settings) and "
                            + "refuses to start without them; they are not in " + t.pkgLibDir() + ".",
                    missing, "install the packages that provide them for PostgreSQL " + major
                            + " (for extensions: postgresql-" + major + "-<name> on Debian/Ubuntu), or remove them "
                            + "from the setting if they are no longer needed"));
        }
        if (!unchecked.isEmpty()) {
            out.add(Finding.warning(ID, "Preloaded libraries given by absolute path",
                    "pgmigrate checks libraries in the target's pkglibdir only; these paths point elsewhere and "
                            + "must be built for PostgreSQL " + major + ".",
                    unchecked, "make sure each path holds a build for PostgreSQL " + major
                            + ", or refer to the library by name"));
        }
    }
}
