package io.pgmigrate.check.cluster;

import java.util.Map;
import java.util.Set;

/** Where a missing extension comes from, to say which package to install for the target version. */
public final class ExtensionPackages {
    /** Contrib modules shipped with PostgreSQL itself (Debian: postgresql-N; RPM: postgresqlN-contrib). */
    static final Set<String> CONTRIB = Set.of("adminpack", "amcheck", "autoinc", "bloom", "btree_gin", "btree_gist",
            "citext", "cube", "dblink", "dict_int", "dict_xsyn", "earthdistance", "file_fdw", "fuzzystrmatch",
            "hstore", "hstore_plperl", "hstore_plpython3u", "insert_username", "intagg", "intarray", "isn",
            "jsonb_plperl", "jsonb_plpython3u", "lo", "ltree", "ltree_plpython3u", "moddatetime", "old_snapshot",
            "pageinspect", "pg_buffercache", "pg_freespacemap", "pg_logicalinspect", "pg_prewarm",
            "pg_stat_statements", "pg_surgery", "pg_trgm", "pg_visibility", "pg_walinspect", "pgcrypto",
            "pgrowlocks", "pgstattuple", "plperl", "plperlu", "plpython3u", "pltcl", "pltclu", "postgres_fdw",
            "refint", "seg", "sslinfo", "tablefunc", "tcn", "tsm_system_rows", "tsm_system_time", "unaccent",
            "uuid-ossp", "xml2");

    /** Contrib extensions PostgreSQL dropped: major version (as 10, 17) they are gone from. */
    public static final Map<String, Integer> REMOVED = Map.of("tsearch2", 10, "chkpass", 11, "timetravel", 12,
            "adminpack", 17, "old_snapshot", 17);

    /** Third-party extensions whose Debian/PGDG package name differs from the extension name. */
    private static final Map<String, String> DEBIAN = Map.ofEntries(
            Map.entry("postgis", "postgis-3"), Map.entry("postgis_topology", "postgis-3"),
            Map.entry("postgis_raster", "postgis-3"), Map.entry("postgis_tiger_geocoder", "postgis-3"),
            Map.entry("address_standardizer", "postgis-3"), Map.entry("vector", "pgvector"),
            Map.entry("pg_cron", "cron"), Map.entry("pg_repack", "repack"), Map.entry("pg_partman", "partman"),
            Map.entry("pg_hint_plan", "pg-hint-plan"), Map.entry("pgaudit", "pgaudit"),
            Map.entry("timescaledb", "timescaledb"), Map.entry("pg_squeeze", "squeeze"),
            Map.entry("hypopg", "hypopg"), Map.entry("pglogical", "pglogical"), Map.entry("orafce", "orafce"),
            Map.entry("plpgsql_check", "plpgsql-check"), Map.entry("pg_qualstats", "pg-qualstats"),
            Map.entry("powa", "powa"), Map.entry("pgrouting", "pgrouting"), Map.entry("ip4r", "ip4r"),
            Map.entry("semver", "semver"), Map.entry("prefix", "prefix"), Map.entry("rum", "rum"));

    private ExtensionPackages() {
    }

    public static boolean removedBy(String extension, int targetMajor) {
        Integer gone = REMOVED.get(extension);
        return gone != null && targetMajor >= gone;
    }

    /** What to install on the target host so that NAME.control exists for this major version. */
    public static String packageHint(String extension, int targetMajor) {
        if (CONTRIB.contains(extension)) {
            return "it is a contrib module of PostgreSQL itself: install the full server package of PostgreSQL "
                    + targetMajor + " (Debian/Ubuntu: postgresql-" + targetMajor + "; RHEL/PGDG: postgresql"
                    + targetMajor + "-contrib), or build the target with contrib";
        }
        String stem = DEBIAN.getOrDefault(extension, extension.replace('_', '-'));
        return "install the package that provides " + extension + ".control for PostgreSQL " + targetMajor
                + " (Debian/Ubuntu, PGDG: postgresql-" + targetMajor + "-" + stem + "; RHEL/PGDG: "
                + stem.replace('-', '_') + "_" + targetMajor + ")";
    }
}
