package io.pgmigrate.pg;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server version such as 15.18 or 18.6 (major ≥ 10: two parts). Parsed from
 * {@code server_version}, {@code server_version_num} or a program's {@code --version} line.
 */
public record PgVersion(int major, int minor) implements Comparable<PgVersion> {
    private static final Pattern DOTTED = Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

    public PgVersion {
        if (major < 7 || minor < 0) {
            throw new IllegalArgumentException("not a PostgreSQL version: " + major + "." + minor);
        }
    }

    /** Parses "15.18", "15.18 (Debian 15.18-0+deb12u1)", "18beta1", "pg_upgrade (PostgreSQL) 18.6", "9.6.24". */
    @JsonCreator
    public static PgVersion parse(String text) {
        Objects.requireNonNull(text, "version text");
        String t = text.trim();
        int paren = t.indexOf("(PostgreSQL)");
        if (paren >= 0) {
            t = t.substring(paren + "(PostgreSQL)".length()).trim();
        }
        Matcher m = DOTTED.matcher(t);
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("not a PostgreSQL version: '" + text + "'");
        }
        int first = Integer.parseInt(m.group(1));
        if (first >= 10) {
            int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            return new PgVersion(first, minor);
        }
        // 9.6.24 → major 9.6 is reported as 906 by server_version_num; we keep major=9, minor encodes 6.
        int second = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        return new PgVersion(first * 100 + second, m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    /** From {@code server_version_num}, e.g. 150018 → 15.18; 90624 → 906.24. */
    public static PgVersion fromNum(int num) {
        if (num >= 100000) {
            return new PgVersion(num / 10000, num % 10000);
        }
        return new PgVersion(num / 100, num % 100);
    }

    /**
     * The major version on pg_upgrade's scale: 15 → 1500, 9.6 → 906. Comparable across the 9.x and
     * the ≥10 numbering.
     */
    public int scaledMajor() {
        return scaled(major);
    }

    /** A major number as written in code (15, 18, or 906 for 9.6) on pg_upgrade's scale. */
    public static int scaled(int major) {
        return major >= 100 ? major : major * 100;
    }

    public static int scaled(PgVersion v) {
        return v.scaledMajor();
    }

    /** How PostgreSQL names a major version (and writes PG_VERSION): 906 → "9.6", 15 or 1500 → "15". */
    public static String majorLabel(int major) {
        if (major >= 1000) {
            return Integer.toString(major / 100);
        }
        return major >= 100 ? (major / 100) + "." + (major % 100) : Integer.toString(major);
    }

    public static String majorLabel(PgVersion v) {
        return majorLabel(v.major());
    }

    public boolean isAtLeast(int otherMajor) {
        return scaledMajor() >= scaled(otherMajor);
    }

    @Override
    public int compareTo(PgVersion o) {
        int c = Integer.compare(scaledMajor(), o.scaledMajor());
        return c != 0 ? c : Integer.compare(minor, o.minor);
    }

    @JsonValue
    @Override
    public String toString() {
        if (major >= 100) {
            return (major / 100) + "." + (major % 100) + "." + minor;
        }
        return major + "." + minor;
    }
}
