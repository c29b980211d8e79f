package io.pgmigrate.pg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgVersionTest {
    @Test
    void parsesWhatServersAndProgramsPrint() {
        assertThat(PgVersion.parse("15.18 (Debian 15.18-0+deb12u1)")).isEqualTo(new PgVersion(15, 18));
        assertThat(PgVersion.parse("pg_upgrade (PostgreSQL) 18.6")).isEqualTo(new PgVersion(18, 6));
        assertThat(PgVersion.parse("postgres (PostgreSQL) 18beta1")).isEqualTo(new PgVersion(18, 0));
        assertThat(PgVersion.parse("9.6.24")).isEqualTo(new PgVersion(906, 24));
        assertThat(PgVersion.fromNum(150018)).isEqualTo(new PgVersion(15, 18));
        assertThat(PgVersion.fromNum(90624)).isEqualTo(new PgVersion(906, 24));
    }

    @Test
    void printsAndComparesLikePostgres() {
        assertThat(PgVersion.parse("9.6.24").toString()).isEqualTo("9.6.24");
        assertThat(new PgVersion(15, 18).toString()).isEqualTo("15.18");
        assertThat(PgVersion.parse("15.2")).isLessThan(PgVersion.parse("15.10"));
        assertThat(PgVersion.parse("9.6.24")).isLessThan(PgVersion.parse("10.0"));
    }

    @Test
    void refusesGarbage() {
        assertThatThrownBy(() -> PgVersion.parse("PostgreSQL")).isInstanceOf(IllegalArgumentException.class);
    }
}
