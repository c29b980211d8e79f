package io.pgmigrate.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.verify.DifferingRow.Change;
import io.pgmigrate.verify.FingerprintCheck.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Results are data: each one goes to JSON and back unchanged (a baseline is stored and read later). */
class FingerprintJsonTest {
    private static final ObjectMapper MAPPER = PlanJson.mapper();
    private static final TableRef T = new TableRef("shop", "public", "order items");

    private static <T> void roundTrip(T value, Class<T> type) throws Exception {
        String json = MAPPER.writeValueAsString(value);
        assertThat(MAPPER.readValue(json, type)).isEqualTo(value);
    }

    @Test
    void everyResultRoundTrips() throws Exception {
        TableFingerprint fp = new TableFingerprint(T, 3, "-18446744073709551614", "0123456789abcdef", Duration.ofMillis(12));
        roundTrip(fp, TableFingerprint.class);
        roundTrip(new TableFingerprint(T, 3, "7", "c", Duration.ZERO, new KeyBuckets(new TableShape.KeyColumn("id",
                "bigint", false), List.of("10"), List.of(new KeyBuckets.Bucket(1, 3, "7")))), TableFingerprint.class);
        roundTrip(new HashTarget(T, true, new TableRef("shop", "public", "orders"), 100, -1), HashTarget.class);
        roundTrip(new FingerprintCheck(T, Verdict.DIFFERENT, fp, fp, "x"), FingerprintCheck.class);
        roundTrip(new HashSelfTest.Result("18.6", Map.of("int4", "1", "numeric", "-2")), HashSelfTest.Result.class);
        roundTrip(new HashSelfTest.Outcome(false, List.of("numeric"), "why"), HashSelfTest.Outcome.class);
        roundTrip(new Narrowing(T, List.of("tenant", "id"), List.of(new DifferingRow(List.of("a", "1"), Change.CHANGED)),
                true, null, 14, Duration.ofSeconds(2)), Narrowing.class);
    }

    @Test
    void theHashIsWrittenAsAnExactDecimalString() throws Exception {
        String json = MAPPER.writeValueAsString(new TableFingerprint(T, 3, "-18446744073709551614", "c", Duration.ZERO));
        assertThat(json).contains("\"hash\":\"-18446744073709551614\"").contains("\"took\":\"PT0S\"");
    }
}
