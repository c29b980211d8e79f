package io.pgmigrate.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The differences a change of server version explains, each checked on real PostgreSQL 13, 15 and 18
 * servers (SchemaUpgradeIT, VersionPairSchemaIT): nothing here applies between two servers of the same
 * major version.
 * <ul>
 * <li>An extension's version: a new server ships newer extension scripts. A database created on it gets
 * the new default version; pg_upgrade keeps the installed one until {@code ALTER EXTENSION … UPDATE}
 * (what pg_upgrade's update_extensions.sql runs).
 * <li>The MAINTAIN privilege ({@code m}, PostgreSQL 17): an owner's default privileges on a table,
 * view or materialized view include it on 17+, and so does a GRANT ALL made there; pg_upgrade writes an
 * older GRANT ALL as the privileges it had, without m.
 * <li>A range type's multirange (14): made with every range type, none before.
 * <li>Text the server deparses (definitions, defaults, expressions), when it is equal after undoing the
 * ways the newer server prints the same thing: identifiers quoted because they became key words
 * ({@code system_user} in 16); XMLSERIALIZE's default {@code NO INDENT}, printed from 16; and in view
 * definitions only, column references left unqualified in a query over one relation (16). The report
 * names only the ways that were needed. The view's columns and types and the columns it reads are
 * compared exactly on their own. (SQL-standard function bodies, BEGIN ATOMIC, are printed the same way
 * by 15 and 18: no rule.)
 * </ul>
 * Representation changes that are not about text are normalised where the inventory is read instead
 * (an ICU collation's locale, the server-made copies of a foreign key to a partitioned table): see
 * {@link SchemaQueries} and {@link SchemaRelationQueries}.
 */
final class SchemaRules {
    private static final Set<SchemaKind> RELATIONS = Set.of(SchemaKind.TABLE, SchemaKind.VIEW,
            SchemaKind.MATERIALIZED_VIEW);
    private static final Set<SchemaKind> VIEWS = Set.of(SchemaKind.VIEW, SchemaKind.MATERIALIZED_VIEW);
    private static final String FULL_BEFORE_MAINTAIN = "arwdDxt";

    private final int before;
    private final int after;

    SchemaRules(int beforeMajor, int afterMajor) {
        this.before = beforeMajor;
        this.after = afterMajor;
    }

    SchemaDifference judge(SchemaDifference d) {
        String why = explain(d);
        return why == null ? d : d.expectedBecause(why);
    }

    private String explain(SchemaDifference d) {
        if (before == after || d.change() != SchemaDifference.Change.CHANGED || d.before() == null
                || d.after() == null) {
            return null;
        }
        if (d.kind() == SchemaKind.EXTENSION && d.what().equals("version")) {
            return "PostgreSQL " + after + " ships another version of the extension: pg_upgrade keeps the installed"
                    + " version until ALTER EXTENSION … UPDATE (pg_upgrade's update_extensions.sql), a new"
                    + " installation gets the new default";
        }
        if (d.what().equals("acl") && before < 17 && after >= 17 && maintainApplies(d)
                && onlyMaintainAdded(d.before(), d.after())) {
            return "PostgreSQL 17 added the MAINTAIN privilege (m): an owner's default privileges include it, and"
                    + " so does a GRANT ALL made on 17 or later (pg_upgrade carries an older GRANT ALL over without"
                    + " it)";
        }
        if (d.kind() == SchemaKind.TYPE && d.what().equals("range") && before < 14 && after >= 14
                && d.after().startsWith(d.before() + ", multirange ") && !d.after().substring(
                d.before().length() + 2).contains(",")) {
            return "PostgreSQL 14 gives every range type a multirange type, made with it";
        }
        return deparse(d);
    }

    /** A text the server deparsed, printed another way by the newer version: which ways, or null. */
    private String deparse(SchemaDifference d) {
        if (after <= before || !deparsed(d)) {
            return null;
        }
        List<Deparse> ways = new ArrayList<>();
        if (before < 16 && after >= 16) {
            ways.add(Deparse.NO_INDENT);
            if (VIEWS.contains(d.kind()) && d.what().equals("definition")) {
                ways.add(Deparse.UNQUALIFIED);
            }
        }
        ways.add(Deparse.QUOTED);
        if (!sameWith(ways, d)) {
            return null;
        }
        List<Deparse> needed = new ArrayList<>(ways);
        for (Deparse way : ways) {
            List<Deparse> without = new ArrayList<>(needed);
            without.remove(way);
            if (sameWith(without, d)) {
                needed = without;
            }
        }
        return needed.stream().map(w -> w.why).collect(Collectors.joining("; and "));
    }

    /**
     * Whether the attribute is text the server printed, not text a user wrote and the server keeps as it was (a
     * comment, the source of a function other than a SQL-standard body), where a quote or word may not be undone.
     */
    private static boolean deparsed(SchemaDifference d) {
        if (d.what().equals("comment")) {
            return false;
        }
        return !d.what().equals("body") || d.before().startsWith("BEGIN ATOMIC") || d.before().startsWith("RETURN ");
    }

    private static boolean sameWith(List<Deparse> ways, SchemaDifference d) {
        String b = d.before();
        String a = d.after();
        for (Deparse way : ways) {
            b = way.normal.apply(b);
            a = way.normal.apply(a);
        }
        return a.equals(b);
    }

    /** The ways a newer server prints the same thing differently, and what a DBA is told of each. */
    private enum Deparse {
        QUOTED(SchemaDeparse::unquoted, "the newer server quotes an identifier that became a key word"
                + " (system_user in 16); same text otherwise"),
        NO_INDENT(SchemaDeparse::withoutNoIndent, "PostgreSQL 16 prints XMLSERIALIZE's default NO INDENT,"
                + " which 15 and older leave out"),
        UNQUALIFIED(SchemaDeparse::unqualified, "the server deparses differently: PostgreSQL 16 and later leave"
                + " out the relation name in column references of a query over one relation; the text is the same"
                + " without qualifiers, and the columns it reads are compared on their own");

        final UnaryOperator<String> normal;
        final String why;

        Deparse(UnaryOperator<String> normal, String why) {
            this.normal = normal;
            this.why = why;
        }
    }

    private static boolean maintainApplies(SchemaDifference d) {
        return RELATIONS.contains(d.kind())
                || d.kind() == SchemaKind.DEFAULT_PRIVILEGES && d.name().endsWith(" on tables");
    }

    /**
     * True when the two acls have the same items (grantee and grantor) and each item either kept its
     * privileges or had every pre-17 table privilege and gained m ({@code m*} with grant option).
     */
    static boolean onlyMaintainAdded(String before, String after) {
        Map<String, String> was = aclItems(before);
        Map<String, String> is = aclItems(after);
        if (was == null || is == null || !was.keySet().equals(is.keySet())) {
            return false;
        }
        for (Map.Entry<String, String> e : was.entrySet()) {
            String b = e.getValue();
            String a = is.get(e.getKey());
            boolean full = b.replace("*", "").equals(FULL_BEFORE_MAINTAIN);
            if (!a.equals(b) && !(full && a.equals(b + (b.endsWith("*") ? "m*" : "m")))) {
                return false;
            }
        }
        return true;
    }

    /** grantee/grantor → privileges, or null when an item does not parse. */
    private static Map<String, String> aclItems(String acl) {
        Map<String, String> items = new TreeMap<>();
        if (acl.isEmpty()) {
            return items;
        }
        for (String item : acl.split(", ")) {
            int slash = item.lastIndexOf('/');
            int eq = slash < 0 ? -1 : item.lastIndexOf('=', slash);
            if (eq < 0) {
                return null;
            }
            items.put(item.substring(0, eq) + item.substring(slash), item.substring(eq + 1, slash));
        }
        return items;
    }
}
