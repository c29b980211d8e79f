package io.pgmigrate.replication;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.core.Redact;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Subscriptions in the session's database (the subscriber): created if absent, dropped with their slot on
 * the publisher, or, when the publisher cannot be reached, detached from it and dropped, saying which
 * slots are left there.
 */
public final class Subscriptions {
    private static final String INFO = "SELECT s.oid, s.subname, d.datname, s.subenabled, s.subslotname,"
            + " s.subpublications::text[] AS pubs"
            + " FROM pg_catalog.pg_subscription s JOIN pg_catalog.pg_database d ON d.oid = s.subdbid";

    private Subscriptions() {
    }

    /**
     * {@code CREATE SUBSCRIPTION} unless one of that name exists in this database. One that exists with
     * another slot or without the publication is refused. The connection string carries no password
     * ({@link PublisherConnection}). {@code origin} needs a subscriber of PostgreSQL 16 or later:
     * {@code NONE} on an older one is refused (it cannot filter by origin; drop the subscription of the
     * other direction before this one exists instead), {@code ANY} is its behaviour anyway and is left out.
     */
    public static Outcome ensure(SqlSession s, SubscriptionSpec spec) {
        Optional<SubscriptionInfo> existing = find(s, spec.name());
        if (existing.isPresent()) {
            SubscriptionInfo info = existing.get();
            if (!spec.slotName().equals(info.slotName()) || !info.publications().contains(spec.publication())) {
                throw new PgMigrateException(ExitCode.STEP_FAILED, "subscription " + SqlIdentifiers.quote(spec.name())
                        + " in database " + SqlIdentifiers.quote(s.database()) + " exists with slot "
                        + info.slotName() + " and publications " + info.publications() + ", not slot "
                        + spec.slotName() + " and publication " + SqlIdentifiers.quote(spec.publication())
                        + ": drop it or choose another name");
            }
            return Outcome.ALREADY_PRESENT;
        }
        s.execute(createSql(spec, serverVersionNum(s)));
        return Outcome.CREATED;
    }

    /**
     * {@link #ensure(SqlSession, SubscriptionSpec)} that also mends what an interrupted attempt leaves:
     * {@code CREATE SUBSCRIPTION} creates the slot on the publisher before it commits on the subscriber, so
     * a run that died in between leaves the slot without the subscription, and the next attempt would fail
     * on "already exists". When the subscription is absent and a slot of its name exists, unused, on the
     * publisher, that slot is dropped first; one in use belongs to someone else and is refused.
     */
    public static Outcome ensure(SqlSession subscriber, SqlSession publisher, SubscriptionSpec spec) {
        if (spec.createSlot() && !exists(subscriber, spec.name())) {
            ReplicationSlots.find(publisher, spec.slotName()).ifPresent(slot -> {
                if (slot.active()) {
                    throw new PgMigrateException(ExitCode.STEP_FAILED, "replication slot " + slot.name()
                            + " exists on the publisher and is in use by process " + slot.activePid()
                            + ", but subscription " + SqlIdentifiers.quote(spec.name()) + " does not exist here:"
                            + " find out who uses that slot before anything is dropped");
                }
                ReplicationSlots.drop(publisher, slot.name());
            });
        }
        return ensure(subscriber, spec);
    }

    static String createSql(SubscriptionSpec spec, int serverVersionNum) {
        List<String> options = new ArrayList<>();
        options.add("copy_data = " + spec.copyData());
        options.add("create_slot = " + spec.createSlot());
        options.add("slot_name = " + SqlIdentifiers.literal(spec.slotName()));
        if (spec.origin() != null) {
            if (serverVersionNum >= 160000) {
                options.add("origin = " + spec.origin().sql());
            } else if (spec.origin() == Origin.NONE) {
                throw new PgMigrateException(ExitCode.STEP_FAILED, "subscription " + SqlIdentifiers.quote(spec.name())
                        + ": origin = none needs a subscriber of PostgreSQL 16 or later (this one is "
                        + serverVersionNum / 10000 + "); drop the subscription of the other direction first,"
                        + " so that nothing can come back");
            }
        }
        return "CREATE SUBSCRIPTION " + SqlIdentifiers.quote(spec.name())
                + " CONNECTION " + SqlIdentifiers.literal(spec.publisher().conninfo())
                + " PUBLICATION " + SqlIdentifiers.quote(spec.publication())
                + " WITH (" + String.join(", ", options) + ")";
    }

    static int serverVersionNum(SqlSession s) {
        return Integer.parseInt(s.query("SELECT pg_catalog.current_setting('server_version_num') AS v").get(0).get("v"));
    }

    /** The subscription of this name in the session's database. */
    public static Optional<SubscriptionInfo> find(SqlSession s, String name) {
        return s.query(INFO + " WHERE s.subname = ? AND d.datname = pg_catalog.current_database()", name)
                .stream().map(Subscriptions::info).findFirst();
    }

    public static boolean exists(SqlSession s, String name) {
        return find(s, name).isPresent();
    }

    /** Subscriptions of every database of the cluster whose names start with the prefix (taken literally). */
    public static List<SubscriptionInfo> withPrefix(SqlSession s, String prefix) {
        return s.query(INFO + " WHERE pg_catalog.left(s.subname, pg_catalog.length(?)) = ? ORDER BY d.datname, s.subname",
                prefix, prefix).stream().map(Subscriptions::info).toList();
    }

    private static SubscriptionInfo info(SqlRow r) {
        return new SubscriptionInfo(r.getLong("oid"), r.get("subname"), r.get("datname"), r.getBool("subenabled"),
                r.get("subslotname"), textArray(r.get("pubs")));
    }

    /** A text[] as PostgreSQL prints it: {a,"b c"}. */
    static List<String> textArray(String v) {
        if (v == null || v.length() < 2) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        String body = v.substring(1, v.length() - 1);
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < body.length()) {
                    cur.append(body.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any || !body.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    /**
     * Drops the subscription and, through {@code DROP SUBSCRIPTION}, its slot and any table synchronisation
     * slots on the publisher. If that fails (the publisher is down or unreachable), the subscription is
     * dropped without its publisher ({@link #dropWithoutPublisher}) and the result names what is left
     * there. Absent: nothing to do.
     */
    public static SubscriptionDrop drop(SqlSession s, String name) {
        Optional<SubscriptionInfo> info = find(s, name);
        if (info.isEmpty()) {
            return new SubscriptionDrop(name, false, null, null);
        }
        try {
            s.execute("DROP SUBSCRIPTION " + SqlIdentifiers.quote(name));
            return new SubscriptionDrop(name, true, null, null);
        } catch (PgMigrateException e) {
            SubscriptionDrop detached = dropWithoutPublisher(s, name);
            return new SubscriptionDrop(name, true, detached.leftOnPublisher(), Redact.secrets(e.getMessage()));
        }
    }

    /**
     * For a publisher that is gone: {@code ALTER SUBSCRIPTION … DISABLE}, {@code SET (slot_name = NONE)},
     * {@code DROP SUBSCRIPTION}; none of them connects to the publisher. The slots stay there and are
     * named in the result: drop them there when it is back ({@link ReplicationSlots#dropLeftovers}).
     */
    public static SubscriptionDrop dropWithoutPublisher(SqlSession s, String name) {
        Optional<SubscriptionInfo> found = find(s, name);
        if (found.isEmpty()) {
            return new SubscriptionDrop(name, false, null, null);
        }
        SubscriptionInfo info = found.get();
        String quoted = SqlIdentifiers.quote(name);
        if (info.enabled()) {
            s.execute("ALTER SUBSCRIPTION " + quoted + " DISABLE");
        }
        if (info.slotName() != null) {
            s.execute("ALTER SUBSCRIPTION " + quoted + " SET (slot_name = NONE)");
        }
        s.execute("DROP SUBSCRIPTION " + quoted);
        return new SubscriptionDrop(name, true, new LeftOnPublisher(info.slotName(), info.oid()),
                "dropped without its publisher");
    }
}
