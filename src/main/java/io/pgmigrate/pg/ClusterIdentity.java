package io.pgmigrate.pg;

import java.util.List;

/**
 * Which cluster a data directory holds: the major version its {@code PG_VERSION} names and its system identifier, as
 * {@code global/pg_control} holds it (its first 8 bytes, what pg_controldata prints as "Database system identifier"),
 * or {@code global/pg_control.old} once pg_upgrade --link or --swap renamed it. pgmigrate removes a data directory only
 * when it holds the cluster pgmigrate recorded there.
 *
 * @param major            the major version in PG_VERSION; 0 when there is none
 * @param systemIdentifier null when neither control file can be read
 */
public record ClusterIdentity(int major, String systemIdentifier) {
    public ClusterIdentity {
        systemIdentifier = unsigned(systemIdentifier);
    }

    /**
     * The identifier as pg_controldata prints it (unsigned); SQL's pg_control_system() gives it as a signed bigint,
     * negative from 2^63 on.
     */
    static String unsigned(String id) {
        if (id == null || !id.startsWith("-")) {
            return id;
        }
        try {
            return Long.toUnsignedString(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return id;
        }
    }

    /**
     * Args: DATADIR. Prints "PG_VERSION V" (or "-") and "ID N" (or "-"): the first line of PG_VERSION, and the control
     * file's first 8 bytes as an unsigned number in the host's byte order (the order the server wrote them in).
     */
    static final String SCRIPT = """
            d=$1
            v=-
            [ -f "$d/PG_VERSION" ] && v=$(head -n 1 -- "$d/PG_VERSION" 2>/dev/null)
            printf 'PG_VERSION %s\\n' "${v:--}"
            id=-
            for c in "$d/global/pg_control" "$d/global/pg_control.old"; do
              if [ -f "$c" ]; then id=$(od -An -t u8 -N 8 -- "$c" 2>/dev/null | tr -d ' '); break; fi
            done
            printf 'ID %s\\n' "${id:--}"
            """;

    /** The argument list that reads the identity of the data directory on its host. */
    public static List<String> readArgv(String dataDir) {
        return List.of("sh", "-c", SCRIPT, "pgmigrate-identity", dataDir);
    }

    /** What {@link #readArgv} printed. */
    public static ClusterIdentity parse(String stdout) {
        int major = 0;
        String id = null;
        for (String line : stdout.lines().toList()) {
            if (line.startsWith("PG_VERSION ")) {
                major = major(line.substring("PG_VERSION ".length()).strip());
            } else if (line.startsWith("ID ")) {
                String v = line.substring(3).strip();
                id = v.matches("[0-9]+") ? v : null;
            }
        }
        return new ClusterIdentity(major, id);
    }

    /** PG_VERSION's text ("15", "9.6") as a major version on {@link PgVersion}'s scale; 0 when it is none. */
    private static int major(String text) {
        try {
            return PgVersion.parse(text).major();
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /** Null when {@code found} is this cluster; else how it differs, e.g. "its PG_VERSION says 15, not 18". */
    public String differs(ClusterIdentity found) {
        if (found.major() != major) {
            return found.major() == 0 ? "it has no PG_VERSION" : "its PG_VERSION says "
                    + PgVersion.majorLabel(found.major()) + ", not " + PgVersion.majorLabel(major);
        }
        if (found.systemIdentifier() == null) {
            return "its global/pg_control cannot be read";
        }
        return found.systemIdentifier().equals(systemIdentifier) ? null : "its system identifier is "
                + found.systemIdentifier() + ", not " + systemIdentifier;
    }

    @Override
    public String toString() {
        return "PostgreSQL " + PgVersion.majorLabel(major) + ", system identifier " + systemIdentifier;
    }
}
