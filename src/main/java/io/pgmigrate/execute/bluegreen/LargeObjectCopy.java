package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.core.Bytes;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every large object of one database copied from one cluster to another, so that both hold the same set: the same
 * oids, owners, privileges, comments and contents (read with {@code lo_get} in 1 MiB chunks from one REPEATABLE READ
 * snapshot). {@code to} is emptied and refilled in one transaction: a copy that fails leaves it as it was, and a rerun
 * (a retried step, the reverse direction after a rollback) replaces what is there and removes what {@code from} lacks.
 * Privileges are set by REVOKE and GRANT, never by writing {@code lomacl}, so that the roles' dependencies
 * ({@code pg_shdepend}) stay right; they are compared with the defaults spelled out ({@code acldefault}), because
 * "never granted" (NULL) and "granted the defaults" mean the same. Needs a superuser on both sides.
 */
final class LargeObjectCopy {
    static final int CHUNK = 1 << 20;

    private static final String EFFECTIVE_ACL = "coalesce(m.lomacl, pg_catalog.acldefault('L', m.lomowner))";
    private static final String LIST = "SELECT m.oid::text AS oid, pg_catalog.pg_get_userbyid(m.lomowner) AS owner, "
            + EFFECTIVE_ACL + "::text AS acl, pg_catalog.obj_description(m.oid, 'pg_largeobject') AS comment"
            + " FROM pg_catalog.pg_largeobject_metadata m ORDER BY m.oid";
    private static final String ACLS = "SELECT m.oid::text AS oid, " + EFFECTIVE_ACL + "::text AS acl"
            + " FROM pg_catalog.pg_largeobject_metadata m";
    private static final String GRANTS = "SELECT pg_catalog.pg_get_userbyid(a.grantor) AS grantor, CASE WHEN"
            + " a.grantee = 0 THEN NULL ELSE pg_catalog.pg_get_userbyid(a.grantee) END AS grantee, a.privilege_type,"
            + " a.is_grantable::text AS grantable FROM pg_catalog.pg_largeobject_metadata m,"
            + " pg_catalog.aclexplode(" + EFFECTIVE_ACL + ") a WHERE m.oid = ?::oid";
    private static final Set<String> PRIVILEGES = Set.of("SELECT", "UPDATE");

    /** What one copy did, for the journal. */
    record Result(int copied, long bytes, int removed) {
        String describe(String to, String database) {
            if (copied == 0) {
                return "no large objects in " + database + (removed == 0 ? "" : ", " + removed + " removed from " + to);
            }
            return copied + " large object(s) (" + Bytes.human(bytes) + ") copied to " + to + " in " + database
                    + ", " + removed + " removed there";
        }
    }

    private record LargeObject(long oid, String owner, String acl, String comment) {
    }

    private record Grant(String grantor, String grantee, String privilege, boolean grantable) {
    }

    private LargeObjectCopy() {
    }

    /** Both sessions must be outside a transaction; they are left outside one. */
    static Result copy(SqlSession from, SqlSession to) {
        from.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        try {
            List<LargeObject> objects = from.query(LIST).stream().map(LargeObjectCopy::largeObject).toList();
            to.execute("BEGIN");
            try {
                Result r = replaceAll(from, to, objects);
                to.execute("COMMIT");
                return r;
            } catch (RuntimeException e) {
                rollbackQuietly(to);
                throw e;
            }
        } finally {
            rollbackQuietly(from);
        }
    }

    private static Result replaceAll(SqlSession from, SqlSession to, List<LargeObject> objects) {
        Set<Long> wanted = objects.stream().map(LargeObject::oid).collect(Collectors.toSet());
        int removed = (int) to.query("SELECT m.oid::text AS oid FROM pg_catalog.pg_largeobject_metadata m").stream()
                .filter(r -> !wanted.contains(Long.parseLong(r.get("oid")))).count();
        to.query("SELECT count(pg_catalog.lo_unlink(m.oid)) AS n FROM pg_catalog.pg_largeobject_metadata m");
        long bytes = 0;
        for (LargeObject lo : objects) {
            bytes += contents(from, to, lo.oid());
            to.execute("ALTER LARGE OBJECT " + lo.oid() + " OWNER TO " + SqlIdentifiers.quote(lo.owner()));
            if (lo.comment() != null) {
                to.execute("COMMENT ON LARGE OBJECT " + lo.oid() + " IS " + SqlIdentifiers.literal(lo.comment()));
            }
        }
        privileges(from, to, objects);
        return new Result(objects.size(), bytes, removed);
    }

    /** Created on {@code to} with the first chunk, the others appended; returns the object's size. */
    private static long contents(SqlSession from, SqlSession to, long oid) {
        byte[] chunk = read(from, oid, 0);
        to.query("SELECT pg_catalog.lo_from_bytea(?::oid, ?)::text AS oid", oid, chunk);
        long offset = 0;
        while (chunk.length == CHUNK) {
            offset += chunk.length;
            chunk = read(from, oid, offset);
            if (chunk.length > 0) {
                to.query("SELECT pg_catalog.lo_put(?::oid, ?, ?)::text AS done", oid, offset, chunk);
            }
        }
        return offset + chunk.length;
    }

    private static byte[] read(SqlSession from, long oid, long offset) {
        byte[] chunk = from.queryBytes("SELECT pg_catalog.lo_get(?::oid, ?, ?)", oid, offset, CHUNK);
        return chunk == null ? new byte[0] : chunk;
    }

    /** Only where {@code to}'s privileges (after the owner was set) differ from {@code from}'s. */
    private static void privileges(SqlSession from, SqlSession to, List<LargeObject> objects) {
        Map<Long, String> acls = new HashMap<>();
        for (SqlRow r : to.query(ACLS)) {
            acls.put(Long.parseLong(r.get("oid")), r.get("acl"));
        }
        for (LargeObject lo : objects) {
            if (!lo.acl().equals(acls.get(lo.oid()))) {
                grantExactly(to, lo, grants(from, lo.oid()), grants(to, lo.oid()));
            }
        }
    }

    /** Everything revoked (from the owner too), then {@code from}'s grants, the owner's first. */
    private static void grantExactly(SqlSession to, LargeObject lo, List<Grant> want, List<Grant> have) {
        Set<String> holders = new LinkedHashSet<>(List.of("PUBLIC"));
        have.forEach(g -> holders.add(grantee(g)));
        to.execute("REVOKE ALL ON LARGE OBJECT " + lo.oid() + " FROM " + String.join(", ", holders) + " CASCADE");
        List<Grant> ordered = new ArrayList<>(want);
        ordered.sort(Comparator.comparing(g -> !g.grantor().equals(lo.owner())));
        for (Grant g : ordered) {
            boolean asOther = !g.grantor().equals(lo.owner());
            if (asOther) {
                to.execute("SET LOCAL ROLE " + SqlIdentifiers.quote(g.grantor()));
            }
            to.execute("GRANT " + g.privilege() + " ON LARGE OBJECT " + lo.oid() + " TO " + grantee(g)
                    + (g.grantable() ? " WITH GRANT OPTION" : ""));
            if (asOther) {
                to.execute("RESET ROLE");
            }
        }
    }

    private static List<Grant> grants(SqlSession s, long oid) {
        List<Grant> grants = new ArrayList<>();
        for (SqlRow r : s.query(GRANTS, oid)) {
            String privilege = r.get("privilege_type");
            if (!PRIVILEGES.contains(privilege)) {
                throw new TransportException("unexpected privilege " + privilege + " on large object " + oid);
            }
            grants.add(new Grant(r.get("grantor"), r.get("grantee"), privilege, r.getBool("grantable")));
        }
        return grants;
    }

    private static String grantee(Grant g) {
        return g.grantee() == null ? "PUBLIC" : SqlIdentifiers.quote(g.grantee());
    }

    private static LargeObject largeObject(SqlRow r) {
        return new LargeObject(Long.parseLong(r.get("oid")), r.get("owner"), r.get("acl"), r.get("comment"));
    }

    private static void rollbackQuietly(SqlSession s) {
        try {
            s.execute("ROLLBACK");
        } catch (TransportException e) {
            // a broken session: closing it rolls back
        }
    }
}
