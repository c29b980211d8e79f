package io.pgmigrate.plan;

import java.util.List;
import java.util.stream.Collectors;

/** How an action reads in the Markdown plan: commands as a shell would show them, SQL as SQL. */
final class ActionText {
    private ActionText() {
    }

    static String describe(Action action) {
        if (action instanceof Action.RunCommand c) {
            return command(c);
        }
        if (action instanceof Action.RunSql q) {
            return sql(q.endpoint(), q.database(), q.sql());
        }
        if (action instanceof Action.Pgbouncer b) {
            return "On pgbouncer's admin console (psql from the database host):\n\n" + Markdown.fenced("sql", String.valueOf(b.command()));
        }
        if (action instanceof Action.MakeDirectory d) {
            return Markdown.fenced("sh", "mkdir -p -m " + d.mode() + " -- " + quote(d.path()));
        }
        if (action instanceof Action.RemoveTree r) {
            return Markdown.fenced("sh", "rm -rf -- " + quote(r.path()));
        }
        if (action instanceof Action.WaitFor w) {
            return "Wait until: " + w.condition().name().toLowerCase().replace('_', ' ')
                    + (w.endpoint() == null ? "" : " (" + w.endpoint().name().toLowerCase() + ")")
                    + (w.argv().isEmpty() ? "" : ": " + Markdown.code(shellLine(w.argv()))) + "\n";
        }
        if (action instanceof Action.Check k) {
            return "Check `" + k.check().name().toLowerCase().replace('_', '-') + "`: " + Markdown.text(k.expected()) + "\n";
        }
        if (action instanceof Action.WriteFile f) {
            return "Write " + Markdown.code(f.path()) + " (mode " + f.mode() + "):\n\n" + Markdown.fenced("", f.content());
        }
        if (action instanceof Action.AnalyzeMissing a) {
            return "Only when a table or materialized view lacks statistics (one catalog query per database):\n\n"
                    + command(a.vacuumdb());
        }
        if (action instanceof Action.Verify v && v.stage() == Action.Verify.Stage.SNAPSHOT) {
            return "Verification snapshot: one exported snapshot per database, held for the data comparison\n";
        }
        if (action instanceof Action.Verify v && v.stage() == Action.Verify.Stage.LIVE) {
            return "Verification between the two running clusters (old and new, no baseline): " + (v.scope()
                    == Action.Verify.Scope.CATALOG ? "the schema of every database (objects, definitions, owners,"
                    + " privileges) must be the same" : "row counts " + v.rowCounts()
                    + (v.fingerprints() ? ", data fingerprints" : "") + " of every table must be the same") + "\n";
        }
        if (action instanceof Action.Verify v) {
            return "Verification " + v.stage().name().toLowerCase() + ": " + (v.scope() == Action.Verify.Scope.CATALOG
                    ? "the schema of every database (objects, definitions, owners, privileges)"
                    : "row counts " + v.rowCounts() + (v.fingerprints() ? ", data fingerprints" : "")
                    + (v.statistics() ? ", planner statistics" : "") + ", smoke queries")
                    + "\n";
        }
        if (action instanceof Action.FenceOldCluster f) {
            return fence(f);
        }
        return replication(action);
    }

    /** The old cluster's fence: what changes on the host, and how a rollback undoes it. */
    private static String fence(Action.FenceOldCluster f) {
        return switch (f.fence()) {
            case PG_CONTROL -> {
                String control = f.oldDataDir() + "/" + Action.FenceOldCluster.CONTROL;
                yield "The old data directory cannot start any more, as pg_upgrade --link leaves it (skipped when"
                        + " pg_upgrade renamed it already: never renamed twice):\n\n```sh\nmv -- " + quote(control) + " "
                        + quote(control + ".old") + "\n```\n\nWhere the way back is still open (--copy/--clone:"
                        + " `pgmigrate rollback --discard-new-writes`), it is renamed back before the old cluster"
                        + " starts.\n";
            }
            case START_CONF -> {
                String old = f.oldConfigDir() + "/start.conf";
                String kept = f.oldConfigDir() + "/" + Action.FenceOldCluster.KEPT_START_CONF;
                yield "Debian's start.conf: the old cluster is `disabled` (neither the boot, nor pg_ctlcluster, nor its"
                        + " postgresql@ unit starts it), the new cluster starts as the old one did:\n\n```sh\n"
                        + "cp -- " + quote(old) + " " + quote(kept) + "   # once\n"
                        + "cp -- " + quote(kept) + " " + quote(f.newConfigDir() + "/start.conf") + "\n"
                        + "echo disabled > " + quote(old) + "\n```\n\n(each file written atomically). Where the way back is"
                        + " still open (--copy/--clone: `pgmigrate rollback --discard-new-writes`), `"
                        + Action.FenceOldCluster.KEPT_START_CONF + "` is renamed back to `start.conf` before the old"
                        + " cluster starts.\n";
            }
            case SYSTEMD -> "The old cluster's unit no longer starts at boot, the new one's does:\n\n```sh\n"
                    + f.systemdFence().stream().map(ActionText::shellLine).collect(Collectors.joining("\n"))
                    + "\n```\n\nWhere the way back is still open (--copy/--clone: `pgmigrate rollback"
                    + " --discard-new-writes`), `" + f.systemdUndo().stream().map(ActionText::shellLine)
                    .collect(Collectors.joining(" && ")) + "` runs before the old cluster starts (each only where the"
                    + " units' state recorded before the fence calls for it).\n";
        };
    }

    /** The blue/green kinds. */
    private static String replication(Action action) {
        if (action instanceof Action.CopyFile f) {
            return "Copy " + Markdown.code(f.fromPath()) + " from the " + host(f.from()) + " host to "
                    + Markdown.code(f.toPath()) + " on the "
                    + host(f.to()) + " host (mode " + f.mode() + "), through pgmigrate\n";
        }
        if (action instanceof Action.Logins l) {
            return "On " + side(l.endpoint()) + ": " + (l.change() == Action.Logins.Change.BLOCK
                    ? "block application logins: `ALTER ROLE … NOLOGIN` for every role that can log in and is neither"
                    + " a superuser, nor a REPLICATION role, nor pgmigrate's own (the list is recorded in the journal),"
                    + " then `pg_terminate_backend` of their sessions"
                    : "give back the logins blocked earlier: `ALTER ROLE … LOGIN` for exactly the roles recorded in"
                    + " the journal") + "\n";
        }
        if (action instanceof Action.WalPosition p) {
            return "On " + side(p.endpoint()) + ": `SELECT pg_catalog.pg_current_wal_lsn()`, recorded in the journal\n";
        }
        if (action instanceof Action.WaitForReplication w) {
            String sub = "subscription " + Markdown.code(w.subscription()) + " (database " + Markdown.code(w.database())
                    + ", slot " + Markdown.code(w.slot()) + " on " + side(w.publisher()) + ")";
            return "Wait until " + switch (w.condition()) {
                case TABLES_READY -> "every table of " + sub + " is ready (`srsubstate = 'r'` in `pg_subscription_rel`)";
                case LAG_BELOW -> sub + " is less than " + io.pgmigrate.core.Bytes.human(w.maxLagBytes())
                        + " behind: `pg_current_wal_lsn() - confirmed_flush_lsn` of the slot";
                case CONFIRMED_POSITION -> sub + " has confirmed the position taken by " + Markdown.code(w.positionStep())
                        + ": `confirmed_flush_lsn >=` that position";
            } + "\n";
        }
        if (action instanceof Action.CopySequences c) {
            return "Copy every sequence of database " + Markdown.code(c.database()) + " from " + side(c.from()) + " to "
                    + side(c.to()) + ": `last_value` and `is_called` read there, `setval` here\n";
        }
        if (action instanceof Action.CreatePublication c) {
            return sql(c.endpoint(), c.database(), c.sql()) + "(skipped when it exists already)\n";
        }
        if (action instanceof Action.DropPublication c) {
            return sql(c.endpoint(), c.database(), c.sql());
        }
        if (action instanceof Action.CreateSubscription c) {
            return sql(c.endpoint(), c.database(), c.sql()) + "(skipped when it exists already; an unused slot of that"
                    + " name that an interrupted attempt left on the publisher is dropped first)\n";
        }
        if (action instanceof Action.AlterSubscription c) {
            return sql(c.endpoint(), c.database(), c.sql());
        }
        if (action instanceof Action.DropSubscription c) {
            return sql(c.endpoint(), c.database(), c.sql());
        }
        if (action instanceof Action.DropSlots c) {
            return sql(c.endpoint(), c.database(), c.sql());
        }
        if (action instanceof Action.NothingUnreplicated n) {
            return "On " + side(n.publisher()) + ", database `" + n.database() + "`: once slot `" + n.slot() + "` is no"
                    + " longer in use, no data change " + (n.localOnly() ? "written there by a session (not brought"
                    + " in by replication) since the frozen point" : "its subscriber has not confirmed") + " may be in"
                    + " it (`pg_logical_slot_peek_binary_changes`, publication `" + n.publication() + "`; nothing is"
                    + " consumed)" + (n.localOnly() ? "" : "; and the subscription `" + n.subscription() + "` on "
                    + side(n.publisher() == Action.Endpoint.SOURCE ? Action.Endpoint.TARGET : Action.Endpoint.SOURCE)
                    + " applied nothing committed after the position `" + n.positionStep() + "` took (its origin's"
                    + " `remote_lsn`)") + "\n";
        }
        if (action instanceof Action.CopyLargeObjects c) {
            return "Copy every large object of database " + Markdown.code(c.database()) + " from " + side(c.from()) + " to "
                    + side(c.to()) + ", with its oid and owner\n";
        }
        if (action instanceof Action.StandbyReplayed r) {
            return "Wait until the standby's `pg_last_wal_replay_lsn()` is past the \"Latest checkpoint location\" of "
                    + Markdown.code(shellLine(List.of(r.primary().binDir() + "/pg_controldata", r.primary().path())))
                    + " on the primary's host (its shutdown checkpoint)\n";
        }
        if (action instanceof Action.StandbyCheckpoint c) {
            return "Check that " + Markdown.code(shellLine(List.of(c.standby().binDir() + "/pg_controldata",
                    c.standby().path()))) + " says \"shut down in recovery\" with the \"Latest checkpoint location\" of "
                    + Markdown.code(shellLine(List.of(c.primary().binDir() + "/pg_controldata", c.primary().path())))
                    + "\n";
        }
        if (action instanceof Action.StandbyStreams w) {
            return "Wait until the new primary's `pg_stat_replication` shows " + Markdown.code(w.applicationName())
                    + " streaming, its replay position at the primary's WAL position\n";
        }
        if (action instanceof Action.AlterSystem a) {
            return sql(a.endpoint(), "postgres", String.join(";\n", a.sql()) + ";");
        }
        if (action instanceof Action.PatroniPause p) {
            return "`PATCH /config {\"pause\": " + p.pause() + "}` on the first of " + p.rest().stream()
                    .map(Markdown::code).collect(java.util.stream.Collectors.joining(", ")) + " that answers, then wait"
                    + " until every running member's `GET /patroni` reports it\n";
        }
        if (action instanceof Action.PatroniStop p) {
            return "Stop Patroni on member " + Markdown.code(p.member()) + ": " + Markdown.code(shellLine(p.stop()))
                    + "; done once its REST API " + Markdown.code(p.rest()) + " no longer answers (the way back: "
                    + Markdown.code(shellLine(p.start())) + ")\n";
        }
        if (action instanceof Action.PatroniConfig c) {
            return "In " + Markdown.code(c.path()) + " (kept first as " + Markdown.code(c.kept()) + "):"
                    + " `postgresql.data_dir` " + Markdown.code(c.oldDataDir()) + " → " + Markdown.code(c.dataDir())
                    + ", `postgresql.bin_dir` → " + Markdown.code(c.binDir())
                    + (c.removeParameters().isEmpty() ? "" : "; under `postgresql.parameters` removed if there: "
                    + String.join(", ", c.removeParameters())) + (c.renameParameters().isEmpty() ? ""
                    : "; renamed if there: " + c.renameParameters().entrySet().stream().map(e -> e.getKey() + " → "
                    + e.getValue()).collect(java.util.stream.Collectors.joining(", "))) + "\n";
        }
        if (action instanceof Action.PatroniWait w) {
            return "Wait until member " + Markdown.code(w.member()) + "'s `GET /patroni` (" + Markdown.code(w.rest())
                    + ") says " + (w.state() == Action.PatroniWait.State.LEADS ? "it leads, running" : "running")
                    + " PostgreSQL " + w.major() + "\n";
        }
        throw new IllegalArgumentException("unknown action " + action.getClass().getSimpleName());
    }

    private static String host(HostRole role) {
        return switch (role) {
            case SOURCE -> "old cluster's";
            case TARGET -> "new cluster's";
            case CONTROLLER -> "controller's";
            case STANDBY -> "standby's";
        };
    }

    private static String side(Action.Endpoint e) {
        return switch (e) {
            case SOURCE -> "the old cluster (blue)";
            case TARGET -> "the new cluster (green)";
        };
    }

    private static String sql(Action.Endpoint endpoint, String database, String sql) {
        return "On " + endpoint.name().toLowerCase() + ", database " + Markdown.code(database) + ":\n\n"
                + Markdown.fenced("sql", sql);
    }

    private static String command(Action.RunCommand c) {
        StringBuilder sb = new StringBuilder();
        if (c.onlyIfFile() != null) {
            sb.append("Only if ").append(Markdown.code(c.onlyIfFile())).append(" exists:\n\n");
        }
        StringBuilder sh = new StringBuilder();
        if (c.workDir() != null) {
            sh.append("cd ").append(quote(c.workDir())).append(" &&\n");
        }
        c.env().forEach((k, v) -> sh.append(k).append('=').append(quote(v)).append(' '));
        sb.append(Markdown.fenced("sh", sh.append(shellLine(c.argv())).toString()));
        if (c.logs() != null) {
            sb.append("\nIf it fails, the end of its own log is shown: the newest ").append(Markdown.code(c.logs()
                    .namePattern())).append(" under ").append(Markdown.code(c.logs().directory())).append(".\n");
        }
        return sb.toString();
    }

    /** For display only (the transport does its own quoting): arguments with unsafe characters in single quotes. */
    static String shellLine(List<String> argv) {
        return argv.stream().map(ActionText::quote).collect(Collectors.joining(" "));
    }

    private static String quote(String arg) {
        if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return arg;
        }
        return "'" + arg.replace("'", "'\"'\"'") + "'";
    }
}
