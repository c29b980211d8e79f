package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;

import java.util.List;

/**
 * Roles live outside the databases and are not replicated: the plan restores them on green from
 * {@code pg_dumpall --globals-only}, which carries their password hashes as they are. The probe counts roles by
 * the kind of hash; it never reads a hash or a password.
 */
final class RolePasswords implements PreCheck {
    static final String ID = "logical-role-passwords";

    static final String SQL = """
            SELECT count(*)::text AS roles,
                   count(*) FILTER (WHERE rolpassword IS NOT NULL)::text AS with_password,
                   count(*) FILTER (WHERE rolpassword LIKE 'SCRAM-SHA-256$%')::text AS scram,
                   count(*) FILTER (WHERE rolpassword LIKE 'md5%')::text AS md5
            FROM pg_catalog.pg_authid WHERE rolname !~ '^pg_'""";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        return List.of(new Probe(ID, Probe.Scope.CLUSTER, SQL));
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        List<ProbeRow> rows = in.probe(ID);
        if (rows.isEmpty()) {
            return List.of();
        }
        ProbeRow r = rows.get(0);
        long withPassword = Long.parseLong(r.get("with_password"));
        long md5 = Long.parseLong(r.get("md5"));
        String counts = r.get("roles") + " role(s), " + withPassword + " with a password (" + r.get("scram")
                + " SCRAM-SHA-256, " + md5 + " MD5)";
        if (md5 == 0 || in.path().targetMajor() < 18) {
            return List.of(Finding.info(ID, "Roles and their passwords are carried by pg_dumpall --globals-only",
                    counts + ". Roles are not replicated; the plan restores them on green from pg_dumpall"
                            + " --globals-only, which carries each password as its stored hash: nobody has to know"
                            + " or type a password, and pgmigrate never prints one."));
        }
        return List.of(Finding.warning(ID, md5 + " role(s) with an MD5 password hash",
                counts + ". The plan restores roles on green from pg_dumpall --globals-only with their hashes as"
                        + " they are (never printed). PostgreSQL 18 deprecates MD5 passwords: logging in with one"
                        + " still works but warns, and a later version will refuse it.",
                List.of(counts), "nothing is needed for the migration; to move to SCRAM, set password_encryption ="
                        + " 'scram-sha-256' and have each of these roles set its password again (\\password in"
                        + " psql), on blue before the plan runs or on green afterwards"));
    }
}
