package io.pgmigrate.execute;

import io.pgmigrate.transport.SqlSession;

/**
 * Whether {@code vacuumdb --analyze-in-stages --missing-stats-only} would find anything to do in a
 * database: a table or materialized view with a column, an expression index column or an extended
 * statistics object without statistics (for an inheritance parent: without the inherited ones too). One
 * catalog query instead of vacuumdb's three stages of connections, so that the outage does not wait for
 * vacuumdb when pg_upgrade carried every statistic over.
 *
 * <p>Left out: a relation the last VACUUM or ANALYZE found empty ({@code reltuples = 0}), since ANALYZE stores
 * no statistics for an empty table and it would count as missing after every run; and the system catalogs
 * (initdb analysed the new cluster's own; pg_largeobject, which pg_upgrade brings over without statistics, and
 * pg_statistic, which ANALYZE skips, are left to the full ANALYZE once clients are back). A relation that was
 * never analysed ({@code reltuples = -1}) counts as missing.
 */
final class MissingStatistics {
    static final String SQL = """
            SELECT count(*) AS relations
            FROM pg_catalog.pg_class c
            WHERE c.relkind IN ('r', 'm') AND c.relpersistence <> 't' AND c.reltuples <> 0
              AND c.relnamespace <> 'pg_catalog'::pg_catalog.regnamespace
              AND (EXISTS (SELECT FROM pg_catalog.pg_attribute a
                           WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                             AND a.attstattarget IS DISTINCT FROM 0 AND a.attgenerated <> 'v'
                             AND NOT EXISTS (SELECT FROM pg_catalog.pg_statistic s
                                             WHERE s.starelid = c.oid AND s.staattnum = a.attnum
                                               AND NOT s.stainherit))
                OR EXISTS (SELECT FROM pg_catalog.pg_statistic_ext e
                           WHERE e.stxrelid = c.oid AND e.stxstattarget IS DISTINCT FROM 0
                             AND NOT EXISTS (SELECT FROM pg_catalog.pg_statistic_ext_data d
                                             WHERE d.stxoid = e.oid AND NOT d.stxdinherit))
                OR EXISTS (SELECT FROM pg_catalog.pg_index i
                           JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indexrelid
                           WHERE i.indrelid = c.oid AND a.attnum > 0 AND i.indkey[a.attnum - 1] = 0
                             AND a.attstattarget IS DISTINCT FROM 0
                             AND NOT EXISTS (SELECT FROM pg_catalog.pg_statistic s
                                             WHERE s.starelid = a.attrelid AND s.staattnum = a.attnum))
                OR c.relhassubclass AND EXISTS (SELECT FROM pg_catalog.pg_inherits h WHERE h.inhparent = c.oid)
                   AND (EXISTS (SELECT FROM pg_catalog.pg_attribute a
                                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                                  AND a.attstattarget IS DISTINCT FROM 0 AND a.attgenerated <> 'v'
                                       AND NOT EXISTS (SELECT FROM pg_catalog.pg_statistic s
                                                  WHERE s.starelid = c.oid AND s.staattnum = a.attnum
                                                    AND s.stainherit))
                        OR EXISTS (SELECT FROM pg_catalog.pg_statistic_ext e
                                   WHERE e.stxrelid = c.oid AND e.stxstattarget IS DISTINCT FROM 0
                                     AND NOT EXISTS (SELECT FROM pg_catalog.pg_statistic_ext_data d
                                                     WHERE d.stxoid = e.oid AND d.stxdinherit))))""";

    private MissingStatistics() {
    }

    /** How many tables and materialized views of the session's database lack statistics. */
    static long relations(SqlSession session) {
        return session.query(SQL).get(0).getLong("relations");
    }
}
