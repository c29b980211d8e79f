package io.pgmigrate.planner;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Carried-over values are written as ALTER SYSTEM writes them: they read back exactly, one line each. */
class ConfigCarryOverTest {
    @Test
    void quotesBackslashesAndLineBreaksAreEscaped() {
        Map<String, String> s = new TreeMap<>();
        s.put("log_line_prefix", "%m [%p] it's \\' x\nshared_preload_libraries = 'evil'");
        s.put("search_path", "\"$user\", public");
        String conf = ConfigCarryOver.autoConf(s);
        assertThat(conf).contains("log_line_prefix = '%m [%p] it''s \\\\'' x\\nshared_preload_libraries = ''evil'''\n",
                "search_path = '\"$user\", public'\n");
        assertThat(conf.lines().filter(l -> l.startsWith("shared_preload_libraries"))).isEmpty();
    }
}
