package io.pgmigrate.check.catalog;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.pg.SqlIdentifiers;

import java.util.ArrayList;
import java.util.List;

/**
 * Databases pg_upgrade cannot handle: a database other than template0 that refuses connections
 * (pg_upgrade would skip it, losing it) or is marked invalid by an interrupted DROP DATABASE
 * (datconnlimit = -2), and a template0 that accepts connections (the globals restore would fail).
 * The probe reads pg_database once, from the maintenance database: such databases cannot be visited.
 */
final class ConnectionSettings implements PreCheck {
    static final String ID = "connection-settings";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        return List.of(new Probe(ID, Probe.Scope.CLUSTER,
                "SELECT d.datname::text AS datname, d.datallowconn::text AS datallowconn,"
                        + " d.datconnlimit::text AS datconnlimit"
                        + " FROM pg_catalog.pg_database d"
                        + " WHERE CASE WHEN d.datname = 'template0' THEN d.datallowconn"
                        + " ELSE NOT d.datallowconn OR d.datconnlimit = -2 END"
                        + " ORDER BY d.datname"));
    }

    @Override
    public List<Finding> evaluate(CheckInput input) {
        List<String> refusing = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        FixScript allow = new FixScript();
        FixScript drop = new FixScript();
        boolean template0 = false;
        for (ProbeRow r : input.probe(ID)) {
            String name = r.get("datname");
            if ("template0".equals(name)) {
                template0 = "true".equals(r.get("datallowconn"));
            } else if ("-2".equals(r.get("datconnlimit"))) {
                invalid.add("database " + Names.ident(name) + " (invalid: datconnlimit = -2)");
                drop.add(FixScript.ANY_DATABASE, "DROP DATABASE " + SqlIdentifiers.quote(name) + ";");
            } else if ("false".equals(r.get("datallowconn"))) {
                refusing.add("database " + Names.ident(name) + " (datallowconn = false)");
                allow.add(FixScript.ANY_DATABASE,
                        "ALTER DATABASE " + SqlIdentifiers.quote(name) + " ALLOW_CONNECTIONS true;");
            }
        }
        List<Finding> findings = new ArrayList<>();
        if (!refusing.isEmpty()) {
            findings.add(Finding.blocker(ID, "Databases that do not allow connections",
                    "pg_upgrade connects to every database except template0 and refuses to run while one"
                            + " does not allow connections; a database it could not connect to would not be"
                            + " carried over.",
                    refusing, allow.render("Allow connections for the upgrade (you may disallow them again"
                            + " afterwards), or drop the databases:")));
        }
        if (!invalid.isEmpty()) {
            findings.add(Finding.blocker(ID, "Invalid databases (interrupted DROP DATABASE)",
                    "A DROP DATABASE that was interrupted leaves the database marked invalid"
                            + " (datconnlimit = -2): nobody can connect to it and pg_upgrade refuses to run.",
                    invalid, drop.render("Finish dropping them (their contents are already partly gone):")));
        }
        if (template0) {
            findings.add(Finding.blocker(ID, "template0 allows connections",
                    "template0 must not allow connections: restoring the globals would try to recreate it"
                            + " and fail.",
                    List.of("database template0 (datallowconn = true)"),
                    "Disallow connections to it again:\nALTER DATABASE template0 ALLOW_CONNECTIONS false;"));
        }
        return findings;
    }
}
