package io.pgmigrate.facts;

import io.pgmigrate.plan.PlanJson;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Patroni facts an execution saves beside its journal are read back as they were (verify and rollback read them). */
class PatroniFactsJsonTest {
    @Test
    void patroniFactsRoundTripThroughTheExecutionsFactsFile() throws Exception {
        PatroniFacts p = new PatroniFacts("pgm",
                List.of(new PatroniFacts.Endpoint("10.0.0.1:8008", "pg1", "3.0.2", "leader", "running", 150018,
                        "7716628068095066206", 1, false, false)),
                List.of(new PatroniFacts.Member("pg1", "leader", "running", "10.0.0.1", 5432,
                                "http://10.0.0.1:8008/patroni", 1, null, false, true, null),
                        new PatroniFacts.Member("pg2", "replica", "running", "10.0.0.2", 5432,
                                "http://10.0.0.2:8008/patroni", 1, 0L, false, false, "pg2")),
                false, List.of("max_connections"), null);
        String json = PlanJson.mapper().writeValueAsString(p);
        assertThat(json).doesNotContain("\"leader\":{", "\"listed\"");
        PatroniFacts back = PlanJson.mapper().readValue(json, PatroniFacts.class);
        assertThat(back).isEqualTo(p);
        assertThat(back.leader().map(PatroniFacts.Member::name)).contains("pg1");
    }
}
