package io.pgmigrate.transport;

import io.pgmigrate.core.SessionSettings;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On real PostgreSQL 15 and 18: a database and a role set to {@code standard_conforming_strings = off} (and a client
 * encoding whose second bytes can be a backslash) do not reach pgmigrate's sessions, JDBC or psql; and even in a session
 * where the setting is off, every literal and identifier {@link SqlIdentifiers} writes reads back exactly, and none
 * lets a statement out.
 */
class SessionSettingsIT {
    private static final List<String> VALUES = List.of("plain", "it's", "back\\slash", "\\'", "'\\", "\\\\'",
            "\\'; CREATE ROLE pwned SUPERUSER; --", "x' ; CREATE ROLE pwned SUPERUSER; --", "line\nbreak\r\ttab",
            "\u0001\u001b\u007f", "E'\\x41'", "naïve € 😀", "U&\"\\0041\"", "''''", "\\");

    @ParameterizedTest
    @ValueSource(ints = {15, 18})
    void databaseAndRoleSettingsDoNotReachPgmigratesSessionsAndLiteralsHoldAnyway(int major) {
        try (PgCluster pg = PgCluster.start(major)) {
            pg.sql("postgres", "CREATE DATABASE hostile",
                    "ALTER DATABASE hostile SET standard_conforming_strings = off",
                    "ALTER DATABASE hostile SET client_encoding = 'SJIS'",
                    "ALTER ROLE postgres IN DATABASE hostile SET escape_string_warning = off");
            try {
                pg.sql("postgres", "ALTER ROLE postgres SET standard_conforming_strings = off");
                try (SqlSession s = pg.connect("hostile")) {
                    assertThat(s.query("SHOW standard_conforming_strings").get(0).get("standard_conforming_strings"))
                            .isEqualTo("on");
                    assertThat(s.query("SHOW client_encoding").get(0).get("client_encoding")).isEqualTo("UTF8");
                }
                try (SqlSession s = JdbcSqlSession.open("127.0.0.1", pg.port(), PgCluster.SUPERUSER, "hostile",
                        "disable", java.time.Duration.ofSeconds(30))) {
                    assertThat(s.query("SHOW standard_conforming_strings").get(0).get("standard_conforming_strings"))
                            .as("with a limit too").isEqualTo("on");
                }
                // psql with the environment the plans give it
                String psql = OsUser.runAsOwner(SessionSettings.withEnvironment(SessionSettings.psqlEnvironment(),
                        List.of(pg.binDir().resolve("psql").toString(), "--no-psqlrc", "-At", "-h", "127.0.0.1",
                                "-p", String.valueOf(pg.port()), "-U", PgCluster.SUPERUSER, "-d", "hostile",
                                "-c", "SHOW standard_conforming_strings", "-c", "SHOW client_encoding")), false).output();
                assertThat(psql.lines().toList()).containsExactly("on", "UTF8");
                String bare = OsUser.runAsOwner(List.of(pg.binDir().resolve("psql").toString(), "--no-psqlrc", "-At",
                        "-h", "127.0.0.1", "-p", String.valueOf(pg.port()), "-U", PgCluster.SUPERUSER, "-d", "hostile",
                        "-c", "SHOW standard_conforming_strings"), false).output();
                assertThat(bare.strip()).as("without it, the database's setting applies").isEqualTo("off");
            } finally {
                pg.sql("postgres", "ALTER ROLE postgres RESET standard_conforming_strings");
            }

            for (String setting : List.of("off", "on")) {
                try (SqlSession s = pg.connect("hostile")) {
                    s.execute("SET standard_conforming_strings = " + setting);
                    s.execute("SET escape_string_warning = off");
                    List<String> names = new ArrayList<>();
                    for (String v : VALUES) {
                        String lit = SqlIdentifiers.literal(v);
                        assertThat(s.query("SELECT " + lit + " AS v, 1 AS one").get(0).get("v"))
                                .as("%s with standard_conforming_strings = %s", lit, setting).isEqualTo(v);
                        assertThat(s.query("SELECT " + lit + " = ? AS same", v).get(0).getBool("same")).isTrue();
                        String table = "t " + setting + " " + names.size() + " " + v;
                        s.execute("CREATE TABLE " + SqlIdentifiers.quote(table) + " (x int)");
                        s.execute("COMMENT ON TABLE " + SqlIdentifiers.quote(table) + " IS " + lit);
                        names.add(table);
                    }
                    for (int i = 0; i < names.size(); i++) {
                        assertThat(s.query("SELECT pg_catalog.obj_description(c.oid, 'pg_class') AS d FROM"
                                + " pg_catalog.pg_class c WHERE c.relname = ?", names.get(i)).get(0).get("d"))
                                .isEqualTo(VALUES.get(i));
                    }
                }
            }
            try (SqlSession s = pg.connect("postgres")) {
                assertThat(s.query("SELECT count(*) AS n FROM pg_catalog.pg_roles WHERE rolname = 'pwned'").get(0)
                        .getLong("n")).as("no statement got out of a literal").isZero();
            }
        }
    }
}
