package io.pgmigrate.core;

import java.util.Map;

/**
 * The settings that change how PostgreSQL reads SQL text, pinned in every session pgmigrate opens. A database or role
 * setting ({@code ALTER DATABASE … SET standard_conforming_strings = off}, which the database's owner can make) would
 * otherwise apply to pgmigrate's superuser sessions too; settings sent at connect (startup options, libpq's
 * {@code PGOPTIONS} and {@code PGCLIENTENCODING}) override database and role settings.
 *
 * <p>JDBC sessions send {@link #STARTUP_OPTIONS}; pgjdbc itself sends {@code client_encoding=UTF8} and refuses a
 * session whose encoding changes. psql and vacuumdb, which run SQL text, get {@link #psqlEnvironment()}; pg_dump,
 * pg_dumpall and pg_restore get {@link #dumpEnvironment()}: only {@code standard_conforming_strings}, since they choose
 * the encoding of what they write, record it in the dump and set it again when they restore.
 */
public final class SessionSettings {
    /** The startup options every SQL session carries. */
    public static final String STARTUP_OPTIONS = "-c standard_conforming_strings=on";
    /** The client encoding of pgmigrate's sessions. */
    public static final String CLIENT_ENCODING = "UTF8";

    private SessionSettings() {
    }

    /** PGOPTIONS and PGCLIENTENCODING for psql and vacuumdb. */
    public static Map<String, String> psqlEnvironment() {
        return Map.of("PGOPTIONS", STARTUP_OPTIONS, "PGCLIENTENCODING", CLIENT_ENCODING);
    }

    /** PGOPTIONS for pg_dump, pg_dumpall and pg_restore. */
    public static Map<String, String> dumpEnvironment() {
        return Map.of("PGOPTIONS", STARTUP_OPTIONS);
    }

    /** {@code env NAME=value … } ahead of a program's arguments, for programs run without a plan's command. */
    public static java.util.List<String> withEnvironment(Map<String, String> env, java.util.List<String> argv) {
        java.util.List<String> out = new java.util.ArrayList<>();
        out.add("env");
        new java.util.TreeMap<>(env).forEach((k, v) -> out.add(k + "=" + v));
        out.addAll(argv);
        return java.util.List.copyOf(out);
    }
}
