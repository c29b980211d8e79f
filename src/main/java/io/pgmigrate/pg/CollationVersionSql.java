package io.pgmigrate.pg;

/**
 * Catalog queries about collation versions, shared by the pre-check (on the source, before the upgrade) and the
 * amcheck verification (on the new cluster, after it).
 *
 * <p>PostgreSQL records the version of the collation library a collation was created under: per collation in
 * {@code pg_collation.collversion} (libc and ICU from 13 on), and per database for its default collation in
 * {@code pg_database.datcollversion} (from 15 on; before that the default collation records none). The library on
 * the host answers {@code pg_collation_actual_version} and {@code pg_database_collation_actual_version}. When the two
 * differ (typically after an operating system upgrade changed glibc or ICU), text may now sort differently from the
 * order in which indexes on it were built.
 */
public final class CollationVersionSql {
    private CollationVersionSql() {
    }

    /**
     * Databases whose recorded default-collation version differs from what the host's library provides now (15+):
     * database_name, provider, locale, recorded, actual.
     */
    public static String databases(int serverMajor) {
        String locale = PgVersion.scaled(serverMajor) >= PgVersion.scaled(17)
                ? "CASE WHEN d.datlocprovider = 'c' THEN d.datcollate ELSE d.datlocale END"
                : "CASE WHEN d.datlocprovider = 'i' THEN d.daticulocale ELSE d.datcollate END";
        return "SELECT v.* FROM (SELECT d.datname::text AS database_name, d.datlocprovider::text AS provider, "
                + locale + "::text AS locale, d.datcollversion::text AS recorded,"
                + " pg_catalog.pg_database_collation_actual_version(d.oid)::text AS actual"
                + " FROM pg_catalog.pg_database d WHERE d.datcollversion IS NOT NULL) v"
                + " WHERE v.actual IS NOT NULL AND v.actual <> v.recorded ORDER BY v.database_name";
    }

    /**
     * In the current database: the indexes (with storage) that depend on a collation whose recorded version differs
     * from the host's, the database's default collation included from 15 on. An index depends on a collation when one
     * of its key columns or expressions is ordered by it ({@code pg_index.indcollation}) or its definition names it
     * ({@code pg_depend}: a COLLATE inside an expression or predicate). One row per index and collation: schema_name
     * (null for the default collation), collation_name ({@code default} for the database's), provider, recorded,
     * actual, index_count (of that collation), index_oid, index_schema, index_name, table_schema, table_name,
     * index_method, index_valid.
     *
     * @param serverMajor the server's major version (the default collation's version is read from 15 on)
     * @param limit       at most this many indexes per collation (the first by schema and name), or null for all
     */
    public static String dependentIndexes(int serverMajor, Integer limit) {
        boolean database = PgVersion.scaled(serverMajor) >= PgVersion.scaled(15);
        return "WITH used AS MATERIALIZED ("
                + " SELECT x.collid, i.indexrelid FROM pg_catalog.pg_index i"
                + " CROSS JOIN LATERAL pg_catalog.unnest(i.indcollation::pg_catalog.oid[]) AS x(collid)"
                + " WHERE x.collid <> 0"
                + " UNION SELECT d.refobjid, d.objid FROM pg_catalog.pg_depend d"
                + " WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
                + " AND d.refclassid = 'pg_catalog.pg_collation'::pg_catalog.regclass"
                + "), versions AS MATERIALIZED ("
                // the actual version is asked only of collations an index uses (an ICU collator is opened for each)
                + " SELECT c.oid AS collid, n.nspname::text AS schema_name, c.collname::text AS collation_name,"
                + " c.collprovider::text AS provider, c.collversion::text AS recorded,"
                + " pg_catalog.pg_collation_actual_version(c.oid)::text AS actual"
                + " FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace"
                + " WHERE c.collversion IS NOT NULL AND c.oid IN (SELECT u.collid FROM used u)"
                + (database ? " UNION ALL SELECT 'pg_catalog.default'::pg_catalog.regcollation::pg_catalog.oid, NULL,"
                + " 'default', d.datlocprovider::text, d.datcollversion::text,"
                + " pg_catalog.pg_database_collation_actual_version(d.oid)::text"
                + " FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()"
                + " AND d.datcollversion IS NOT NULL" : "")
                + "), dependent AS ("
                + " SELECT v.schema_name, v.collation_name, v.provider, v.recorded, v.actual,"
                + " ic.oid AS index_oid, ins.nspname::text AS index_schema, ic.relname::text AS index_name,"
                + " tns.nspname::text AS table_schema, t.relname::text AS table_name, am.amname::text AS index_method,"
                + " (i.indisvalid AND i.indisready)::text AS index_valid,"
                + " pg_catalog.row_number() OVER (PARTITION BY v.collid ORDER BY ins.nspname, ic.relname) AS n,"
                + " pg_catalog.count(*) OVER (PARTITION BY v.collid) AS index_count"
                + " FROM versions v JOIN used u ON u.collid = v.collid"
                + " JOIN pg_catalog.pg_class ic ON ic.oid = u.indexrelid AND ic.relkind = 'i' AND ic.relpersistence <> 't'"
                + " JOIN pg_catalog.pg_namespace ins ON ins.oid = ic.relnamespace"
                + " JOIN pg_catalog.pg_index i ON i.indexrelid = ic.oid"
                + " JOIN pg_catalog.pg_class t ON t.oid = i.indrelid"
                + " JOIN pg_catalog.pg_namespace tns ON tns.oid = t.relnamespace"
                + " JOIN pg_catalog.pg_am am ON am.oid = ic.relam"
                + " WHERE v.actual IS NOT NULL AND v.actual <> v.recorded"
                + ")"
                + " SELECT schema_name, collation_name, provider, recorded, actual, index_count::text AS index_count,"
                + " index_oid::text AS index_oid, index_schema, index_name, table_schema, table_name, index_method,"
                + " index_valid FROM dependent"
                + (limit == null ? "" : " WHERE n <= " + limit)
                + " ORDER BY schema_name NULLS FIRST, collation_name, index_schema, index_name";
    }
}
