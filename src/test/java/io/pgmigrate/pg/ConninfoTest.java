package io.pgmigrate.pg;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConninfoTest {
    @Test
    void valuesAreQuotedTheWayLibpqReadsThem() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("host", "/var/run/postgresql");
        m.put("dbname", "it's a \\ db");
        assertThat(Conninfo.of(m)).isEqualTo("host='/var/run/postgresql' dbname='it\\'s a \\\\ db'");
    }

    @Test
    void aWalReceiversConninfoIsReadBack() {
        Map<String, String> m = Conninfo.parse("user=rep password=******** channel_binding=prefer dbname=replication"
                + " host=10.0.0.5 port=5432 application_name='db 1b' fallback_application_name=walreceiver sslmode=prefer");
        assertThat(m).containsEntry("user", "rep").containsEntry("password", "********")
                .containsEntry("application_name", "db 1b").containsEntry("sslmode", "prefer");
        assertThat(m.keySet()).startsWith("user", "password", "channel_binding");
    }

    @Test
    void whatOfWritesParseReads() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("host", "a b");
        m.put("dbname", "it's \\ odd");
        assertThat(Conninfo.parse(Conninfo.of(m))).isEqualTo(m);
        assertThat(Conninfo.parse("host = x  port=1 ")).containsEntry("host", "x").containsEntry("port", "1");
    }

    @Test
    void brokenStringsAreRefused() {
        assertThatThrownBy(() -> Conninfo.parse("host")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Conninfo.parse("host='x")).hasMessageContaining("not closed");
    }
}
