package io.pgmigrate.check.catalog;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.pg.SqlIdentifiers;

import java.util.ArrayList;
import java.util.List;

/**
 * Logical replication subscriptions on the source. Before 17, pg_upgrade restores them disabled and
 * without their table states and replication origin, so each must be enabled and refreshed afterwards
 * (WARNING). From 17 on they are carried, provided every table is in state i or r and the replication
 * origin exists (BLOCKER otherwise), and the target needs enough replication origins (INFO).
 */
final class Subscriptions implements PreCheck {
    static final String ID = "subscriptions";
    static final String RELATIONS_PROBE = ID + ".relations";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean appliesTo(UpgradePath path) {
        return path.sourceAtLeast(1000);
    }

    private static boolean carried(UpgradePath path) {
        return path.sourceAtLeast(1700);
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        if (!carried(path)) {
            return List.of(new Probe(ID, Probe.Scope.CLUSTER,
                    "SELECT s.subname::text AS subscription_name, d.datname::text AS database_name,"
                            + " s.subenabled::text AS enabled, 'true' AS has_origin"
                            + " FROM pg_catalog.pg_subscription s JOIN pg_catalog.pg_database d ON d.oid = s.subdbid"
                            + " ORDER BY d.datname, s.subname"));
        }
        return List.of(
                new Probe(ID, Probe.Scope.CLUSTER,
                        "SELECT s.subname::text AS subscription_name, d.datname::text AS database_name,"
                                + " s.subenabled::text AS enabled, (o.roname IS NOT NULL)::text AS has_origin"
                                + " FROM pg_catalog.pg_subscription s"
                                + " JOIN pg_catalog.pg_database d ON d.oid = s.subdbid"
                                + " LEFT JOIN pg_catalog.pg_replication_origin o ON o.roname = 'pg_' || s.oid"
                                + " ORDER BY d.datname, s.subname"),
                new Probe(RELATIONS_PROBE, Probe.Scope.EACH_DATABASE,
                        "SELECT s.subname::text AS subscription_name, n.nspname::text AS schema_name,"
                                + " c.relname::text AS table_name, r.srsubstate::text AS state"
                                + " FROM pg_catalog.pg_subscription_rel r"
                                + " JOIN pg_catalog.pg_subscription s ON s.oid = r.srsubid"
                                + " LEFT JOIN pg_catalog.pg_class c ON c.oid = r.srrelid"
                                + " LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                                + " WHERE r.srsubstate NOT IN ('i', 'r')"
                                + " ORDER BY s.subname, n.nspname, c.relname"));
    }

    private static String name(ProbeRow r) {
        return "subscription " + Names.ident(r.get("subscription_name")) + " in db " + Names.ident(r.get("database_name"));
    }

    @Override
    public List<Finding> evaluate(CheckInput input) {
        List<ProbeRow> subscriptions = input.probe(ID);
        if (subscriptions.isEmpty()) {
            return List.of();
        }
        return carried(input.path()) ? carriedFindings(input, subscriptions) : notCarried(subscriptions);
    }

    private static List<Finding> notCarried(List<ProbeRow> subscriptions) {
        List<String> objects = new ArrayList<>();
        FixScript fix = new FixScript();
        for (ProbeRow r : subscriptions) {
            objects.add(name(r) + ("true".equals(r.get("enabled")) ? "" : " (disabled)"));
            String sub = SqlIdentifiers.quote(r.get("subscription_name"));
            fix.add(r.get("database_name"), "ALTER SUBSCRIPTION " + sub + " ENABLE;");
            fix.add(r.get("database_name"), "ALTER SUBSCRIPTION " + sub + " REFRESH PUBLICATION WITH (copy_data = false);");
        }
        return List.of(Finding.warning(ID, "Subscriptions lose their replication state",
                "Upgrading from before PostgreSQL 17, pg_upgrade recreates subscriptions disabled, without their"
                        + " tables' synchronisation state and without their replication origin (the position"
                        + " they had applied up to). Their slots on the publishers are kept.",
                objects, fix.render("After the upgrade, on the new cluster: enable and refresh each subscription;"
                        + " copy_data = false trusts that the tables are in sync (stop writes on the publisher"
                        + " or let the subscriber catch up before the outage); re-copy into emptied tables"
                        + " with copy_data = true when unsure:")));
    }

    private static List<Finding> carriedFindings(CheckInput input, List<ProbeRow> subscriptions) {
        List<Finding> findings = new ArrayList<>();
        List<String> noOrigin = new ArrayList<>();
        for (ProbeRow r : subscriptions) {
            if (!"true".equals(r.get("has_origin"))) {
                noOrigin.add(name(r) + " (replication origin missing)");
            }
        }
        if (!noOrigin.isEmpty()) {
            findings.add(Finding.blocker(ID, "Subscriptions without their replication origin",
                    "pg_upgrade carries subscriptions with their replication origin and refuses when it is missing.",
                    noOrigin, "Recreate these subscriptions (DROP SUBSCRIPTION, then CREATE SUBSCRIPTION), or"
                            + " drop them if they are no longer used."));
        }
        List<String> syncing = new ArrayList<>();
        for (ProbeRow r : input.probe(RELATIONS_PROBE)) {
            String table = r.get("table_name") == null ? "(dropped table)"
                    : Names.qualified(r.get("schema_name"), r.get("table_name"));
            syncing.add(Names.inDb(r.database()) + "subscription " + Names.ident(r.get("subscription_name"))
                    + " table " + table + " (state " + r.get("state") + ")");
        }
        if (!syncing.isEmpty()) {
            findings.add(Finding.blocker(ID, "Subscription tables still synchronising",
                    "pg_upgrade only carries subscription tables in state i (initialize) or r (ready); these are"
                            + " between (d = copying data, f = copy finished, s = synchronised).",
                    syncing, "Let the initial synchronisation finish (SELECT srsubstate FROM"
                            + " pg_subscription_rel shows r for every table), then plan again."));
        }
        String setting = input.path().targetAtLeast(1800) ? "max_active_replication_origins"
                : "max_replication_slots";
        List<String> all = subscriptions.stream().map(Subscriptions::name).toList();
        findings.add(new Finding(ID, Severity.INFO, "Subscriptions are carried over",
                "pg_upgrade carries " + all.size() + " subscription" + (all.size() == 1 ? "" : "s")
                        + " with their state; the new cluster's " + setting + " must be at least " + all.size()
                        + ".", all, setting + " = " + Math.max(all.size(), 10) + "  # in the new cluster's"
                + " postgresql.conf, if it is lower"));
        return findings;
    }
}
