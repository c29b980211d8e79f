package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.core.Bytes;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.facts.StandbyFacts;
import io.pgmigrate.facts.TargetFacts;
import io.pgmigrate.inventory.Inventory.Standby;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What each standby pgmigrate rebuilds must offer before the window (issue #15): it streams from the source and keeps
 * up; its host has the new version's binaries, the extensions and libraries the source uses, an empty place for its
 * new data directory and the space the chosen way needs; its configuration travels with its data directory; and,
 * to be re-created, its host reaches the source for replication. Then which way it comes to the new version, and why.
 */
public final class StandbyReadiness implements PreCheck {
    public static final String ID = "standby-ready";
    /** A standby further behind than one WAL segment makes the outage wait for it. */
    static final long LAG_WARNING_BYTES = 16 * Bytes.MIB;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        if (in.inventory().strategy() != Strategy.PG_UPGRADE) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        for (Standby s : in.inventory().rebuiltStandbys()) {
            in.facts().standby(s.name()).ifPresent(f -> out.addAll(evaluate(in, s, f)));
        }
        return out;
    }

    private static List<Finding> evaluate(CheckInput in, Standby s, StandbyFacts f) {
        List<Finding> out = new ArrayList<>();
        String who = "standby " + s.name();
        if (f.receiver() == null || !"streaming".equals(f.receiver().status()) || f.sender() == null) {
            out.add(Finding.blocker(ID, "Standby " + s.name() + " is not streaming from the source",
                    "The outage stops the primary once each standby has replayed its shutdown checkpoint; one that does"
                            + " not stream now would never get there.",
                    List.of(who + ": WAL receiver " + (f.receiver() == null ? "not running" : f.receiver().status())),
                    "start it, or fix its primary_conninfo, until the source's pg_stat_replication shows it streaming"));
        } else if (f.sender().replayLagBytes() > LAG_WARNING_BYTES) {
            out.add(Finding.warning(ID, "Standby " + s.name() + " lags behind the source",
                    "The outage waits until every standby has replayed the primary's shutdown checkpoint: a standby"
                            + " far behind lengthens it.",
                    List.of(who + ": replay " + Bytes.human(f.sender().replayLagBytes()) + " behind"),
                    "find out why it lags (its disk, its network, a long query holding replay) before the window"));
        }
        TargetFacts t = f.target();
        int major = in.inventory().target().version();
        if (t.binariesVersion() == null || t.binariesVersion().major() != major) {
            out.add(Finding.blocker(ID, "Standby " + s.name() + " has no PostgreSQL " + major + " binaries",
                    "Its new data directory runs on the new version's binaries on its own host.",
                    List.of(who + ": " + s.targetBinDir() + " is PostgreSQL " + t.binariesVersion()),
                    "install PostgreSQL " + major + " there, as on the primary's host, or fix target.binDir"));
        }
        List<String> missing = missingOnStandby(in.source(), t);
        if (!missing.isEmpty()) {
            out.add(Finding.blocker(ID, "Standby " + s.name() + " lacks extensions or libraries the source uses",
                    "A standby replays the new primary's catalogs and loads the same modules: what is missing on its"
                            + " host makes it fail where the primary works.",
                    missing.stream().map(m -> who + ": " + m).toList(),
                    "install the same extension packages for PostgreSQL " + major + " on its host as on the primary's"));
        }
        if (t.dataDir().exists() && !t.dataDir().empty()) {
            out.add(Finding.blocker(ID, "Standby " + s.name() + "'s new data directory is not empty",
                    "Its new data directory is made by rsync or pg_basebackup; PostgreSQL's documentation says it"
                            + " must not exist (no initdb on a standby).",
                    List.of(who + ": " + s.targetDataDir()), "remove it, or choose another standbys[].target.dataDir"));
        }
        if (!f.configInDataDirectory()) {
            out.add(Finding.blocker(ID, "Standby " + s.name() + "'s configuration lives outside its data directory",
                    "pgmigrate rebuilds standbys whose postgresql.conf and pg_hba.conf are in the data directory; one"
                            + " configured elsewhere (Debian's /etc/postgresql) would start without its settings.",
                    List.of(who + ": config_file " + f.configFile() + ", hba_file " + f.hbaFile()),
                    "list it with rebuild: false and rebuild it yourself after the window"));
        }
        StandbyMethod method = StandbyMethod.of(in.inventory(), in.facts(), s);
        long need = method.kind() == StandbyMethod.Kind.CLONE ? in.source().totalSizeBytes() + DiskSpace.WAL_MARGIN
                : DiskSpace.INITDB_BYTES + DiskSpace.WAL_MARGIN;
        if (t.dataDir().freeBytes() < need) {
            out.add(Finding.blocker(ID, "Not enough disk for standby " + s.name() + "'s new data directory",
                    method.kind() == StandbyMethod.Kind.CLONE ? "A new copy of the primary needs its whole size again"
                            + " (the old data directory is kept until cleanup: it is a way back)."
                            : "rsync links the data files; the new catalogs and WAL need space of their own.",
                    List.of(who + ": " + Bytes.human(t.dataDir().freeBytes()) + " free on " + t.dataDir().statPath()
                            + ", needs about " + Bytes.human(need)),
                    "free space there, or choose a standbys[].target.dataDir on a larger file system"));
        }
        if (method.kind() == StandbyMethod.Kind.CLONE && f.primaryReachable() != null) {
            out.add(Finding.blocker(ID, "Standby " + s.name() + "'s host cannot open a replication connection to"
                            + " the source",
                    "It is re-created with pg_basebackup from the upgraded primary, run on its host with the settings"
                            + " of its WAL receiver (password from its own ~/.pgpass, never from pgmigrate).",
                    List.of(who + ": " + f.primaryReachable()),
                    "put the replication user's password in ~/.pgpass of the standby's OS user (hostname:port:"
                            + "replication:user:password), mode 0600"));
        }
        out.add(Finding.info(ID, "Standby " + s.name() + " will be " + (method.kind() == StandbyMethod.Kind.RSYNC
                ? "rsynced" : "re-created"), method.why()));
        return out;
    }

    /** Extensions the source uses and modules it preloads that the standby's target lacks. */
    private static List<String> missingOnStandby(SourceFacts src, TargetFacts t) {
        TreeSet<String> missing = new TreeSet<>();
        for (SourceFacts.DatabaseFacts db : src.databases()) {
            for (SourceFacts.ExtensionFacts e : db.extensions()) {
                if (!t.hasExtension(e.name())) {
                    missing.add("extension " + e.name() + " (no " + e.name() + ".control in " + t.shareDir()
                            + "/extension)");
                }
            }
        }
        for (String setting : List.of("shared_preload_libraries", "session_preload_libraries",
                "local_preload_libraries")) {
            for (String lib : Libraries.splitList(src.settings().get(setting))) {
                if (!Libraries.outsideLibdir(lib) && !Libraries.present(lib, t.libraries())) {
                    missing.add("library " + lib + " (" + setting + ") not in " + t.pkgLibDir());
                }
            }
        }
        return List.copyOf(missing);
    }
}
