package io.pgmigrate.planner;

/**
 * Statistics of partitioned tables, which {@code vacuumdb} leaves out: it analyses tables, partitions and
 * materialized views, never a partitioned table itself, so the planner has no statistics for the table as a whole
 * (those of its partitions together) unless something else makes them. pg_upgrade to 18 carries them over; a
 * logical copy and a pg_upgrade to 17 do not.
 */
public final class PartitionedStatistics {
    private PartitionedStatistics() {
    }

    /**
     * One statement for the connected database: on 18 and later {@code ANALYZE ONLY} of every partitioned table (its
     * partitions were analysed already); before 18, which has no ONLY, {@code ANALYZE} of the partitioned tables that
     * are not partitions themselves, which also analyses everything below them.
     */
    public static String analyzeSql(int targetMajor) {
        String statement = targetMajor >= 18 ? "ANALYZE ONLY %s" : "ANALYZE %s";
        String which = targetMajor >= 18 ? "" : " AND NOT c.relispartition";
        return "DO $pgmigrate$ DECLARE t pg_catalog.regclass; BEGIN FOR t IN SELECT c.oid FROM pg_catalog.pg_class c"
                + " WHERE c.relkind = 'p' AND c.relpersistence <> 't'" + which + " ORDER BY c.oid LOOP"
                + " EXECUTE pg_catalog.format('" + statement + "', t); END LOOP; END $pgmigrate$";
    }
}
