package io.pgmigrate.transport;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The driver properties a session's limit turns into (no server). */
class JdbcSqlSessionTest {
    private static Properties props(Duration limit) {
        return JdbcSqlSession.properties("postgres", "app", "disable", limit);
    }

    @Test
    void withoutALimitOnlyTheConnectIsBounded() {
        Properties p = props(null);
        assertThat(p.getProperty("connectTimeout")).isEqualTo("10");
        assertThat(p.getProperty("socketTimeout")).isNull();
        assertThat(p.getProperty("options")).isEqualTo("-c standard_conforming_strings=on");
        assertThat(p.getProperty("PGDBNAME")).isEqualTo("app");
        assertThat(p.getProperty("tcpKeepAlive")).isEqualTo("true");
    }

    @Test
    void aLimitSetsStatementTimeoutAtConnectAndASocketTimeoutFiveSecondsLater() {
        Properties p = props(Duration.ofSeconds(2));
        assertThat(p.getProperty("options")).isEqualTo("-c standard_conforming_strings=on -c statement_timeout=2000");
        assertThat(p.getProperty("socketTimeout")).isEqualTo("7");
        assertThat(p.getProperty("connectTimeout")).isEqualTo("2");
    }

    @Test
    void partSecondsRoundUpAndTheConnectWaitIsAtMostTenSeconds() {
        assertThat(props(Duration.ofMillis(1500)).getProperty("socketTimeout")).isEqualTo("7");
        assertThat(props(Duration.ofMillis(1500)).getProperty("options")).isEqualTo("-c standard_conforming_strings=on -c statement_timeout=1500");
        assertThat(props(Duration.ofMillis(100)).getProperty("connectTimeout")).isEqualTo("1");
        assertThat(props(Duration.ofMillis(100)).getProperty("socketTimeout")).isEqualTo("6");
        Properties halfHour = props(Duration.ofMinutes(30));
        assertThat(halfHour.getProperty("connectTimeout")).isEqualTo("10");
        assertThat(halfHour.getProperty("socketTimeout")).isEqualTo("1805");
        assertThat(halfHour.getProperty("options")).isEqualTo("-c standard_conforming_strings=on -c statement_timeout=1800000");
        assertThat(props(Duration.ofDays(40)).getProperty("options")).isEqualTo("-c standard_conforming_strings=on -c statement_timeout=" + Integer.MAX_VALUE);
    }

    @Test
    void aLimitMustBePositive() {
        assertThatThrownBy(() -> props(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
