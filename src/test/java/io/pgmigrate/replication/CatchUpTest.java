package io.pgmigrate.replication;

import io.pgmigrate.pg.Lsn;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CatchUpTest {
    @Test
    void bytesBehindATargetAndWhetherItIsConfirmed() {
        SlotLag lag = new SlotLag("s", Lsn.parse("1/00000100"), Lsn.parse("1/00000040"), true, Optional.empty());
        assertThat(lag.bytesBehind()).isEqualTo(0xC0);
        assertThat(lag.bytesBehind(Lsn.parse("1/00000040"))).isZero();
        assertThat(lag.confirmed(Lsn.parse("1/00000040"))).isTrue();
        assertThat(lag.confirmed(Lsn.parse("1/00000041"))).isFalse();
        SlotLag none = new SlotLag("s", Lsn.parse("0/10"), null, false, Optional.empty());
        assertThat(none.confirmed(Lsn.parse("0/1"))).isFalse();
        assertThat(none.bytesBehind()).isEqualTo(16);
    }

    @Test
    void flushLagInSecondsAsExtractPrintsIt() {
        assertThat(CatchUp.seconds("0.001234")).isEqualTo(Duration.ofNanos(1_234_000));
        assertThat(CatchUp.seconds("12")).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void theResultSaysHowFarBehindWhenNotReached() {
        CatchUpResult r = new CatchUpResult("s", Lsn.parse("0/3000000"), Lsn.parse("0/1000000"), false, 32 * 1024 * 1024,
                Duration.ofSeconds(5));
        assertThat(r.describe()).isEqualTo("slot s did not reach 0/3000000 within 5000 ms: confirmed 0/1000000, 32 MiB behind");
    }

    @Test
    void theFreezeProofNamesEveryOffender() {
        FreezeProof p = new FreezeProof(List.of(new XidHolder(42, "app", "shop", "web", "idle in transaction",
                "2026-11-24 22:00:00+00")), List.of(new PreparedTransaction("tx1", "app", "shop", "2026-11-24 21:00:00+00")));
        assertThat(p.frozen()).isFalse();
        assertThat(p.describe()).isEqualTo("writes are not frozen: pid 42 (user app, database shop, application web,"
                + " idle in transaction, transaction since 2026-11-24 22:00:00+00); prepared transaction 'tx1'"
                + " (owner app, database shop, prepared 2026-11-24 21:00:00+00)");
        assertThat(new FreezeProof(List.of(), List.of()).frozen()).isTrue();
    }
}
