package io.pgmigrate.pg;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConninfoTest {
    @Test
    void valuesAreQuotedTheWayLibpqReadsThem() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("host", "/var/run/postgresql");
        m.put("dbname", "it's a \\ db");
        assertThat(Conninfo.of(m)).isEqualTo("host='/var/run/postgresql' dbname='it\\'s a \\\\ db'");
    }
}
