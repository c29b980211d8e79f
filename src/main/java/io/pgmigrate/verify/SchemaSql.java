package io.pgmigrate.verify;

/** SQL fragments the schema queries share. */
final class SchemaSql {
    private SchemaSql() {
    }

    /** Schemas of the user: not pg_catalog, pg_toast, temp schemas (all pg_*), nor information_schema. */
    static String userSchema(String nsp) {
        return "(" + nsp + ".nspname !~ '^pg_' AND " + nsp + ".nspname <> 'information_schema')";
    }

    /** The object is not a member of an extension (those are listed via their extension). */
    static String notInExtension(String catalog, String oid) {
        return "NOT EXISTS (SELECT 1 FROM pg_depend ext WHERE ext.classid = '" + catalog + "'::regclass"
                + " AND ext.objid = " + oid + " AND ext.deptype = 'e')";
    }

    /** An aclitem[] as its items' text, sorted byte-wise, joined by ", "; NULL stays NULL. */
    static String acl(String expr) {
        return "(SELECT string_agg(a::text, ', ' ORDER BY a::text COLLATE \"C\") FROM unnest(" + expr + ") a)";
    }

    /**
     * The effective privileges: a NULL acl means the built-in defaults for the owner, and a dump writes no
     * GRANT for an acl that equals them, so both compare as the defaults spelled out. No privileges at all is the empty text.
     */
    static String aclOrDefault(String expr, char objType, String owner) {
        return "coalesce(" + acl("coalesce(" + expr + ", acldefault('" + objType + "', " + owner + "))") + ", '')";
    }

    /** A text[] (options, settings) sorted byte-wise and joined by ", "; NULL when empty. */
    static String sortedArray(String expr) {
        return "(SELECT string_agg(o, ', ' ORDER BY o COLLATE \"C\") FROM unnest(" + expr + ") o)";
    }

    /** schema.name of a pg_class row by OID, quoted as needed. */
    static String relationName(String oid) {
        return "(SELECT quote_ident(rn.nspname) || '.' || quote_ident(rc.relname) FROM pg_class rc"
                + " JOIN pg_namespace rn ON rn.oid = rc.relnamespace WHERE rc.oid = " + oid + ")";
    }

    /** A tablespace name, NULL for the database's default. */
    static String tablespace(String oid) {
        return "(SELECT spcname FROM pg_tablespace WHERE oid = " + oid + ")";
    }
}
