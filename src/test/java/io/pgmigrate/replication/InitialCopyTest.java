package io.pgmigrate.replication;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InitialCopyTest {
    @Test
    void oneLineSaysWhatIsReadyCopyingCatchingUpAndWaiting() {
        InitialCopy c = new InitialCopy("pgmigrate_shop", List.of(
                new TableSync("public", "a", SyncState.READY, null, null),
                new TableSync("public", "b", SyncState.DATA_COPY, 3L * 1024 * 1024, 1000L),
                new TableSync("public", "c", SyncState.DATA_COPY, null, null),
                new TableSync("public", "d", SyncState.FINISHED_COPY, null, null),
                new TableSync("public", "e", SyncState.INIT, null, null)));
        assertThat(c.allReady()).isFalse();
        assertThat(c.summary()).isEqualTo(
                "\"pgmigrate_shop\": 1 of 5 tables ready, 2 copying (3 MiB so far), 1 catching up, 1 waiting");
    }

    @Test
    void readyWhenEveryTableIsInStateR() {
        InitialCopy c = new InitialCopy("s", List.of(new TableSync("public", "a", SyncState.READY, null, null)));
        assertThat(c.allReady()).isTrue();
        assertThat(c.summary()).isEqualTo("\"s\": 1 of 1 table ready");
    }

    @Test
    void statesByTheirCatalogLetter() {
        assertThat(SyncState.of("i")).isEqualTo(SyncState.INIT);
        assertThat(SyncState.of("d")).isEqualTo(SyncState.DATA_COPY);
        assertThat(SyncState.of("f")).isEqualTo(SyncState.FINISHED_COPY);
        assertThat(SyncState.of("s")).isEqualTo(SyncState.SYNCED);
        assertThat(SyncState.of("r")).isEqualTo(SyncState.READY);
        assertThatThrownBy(() -> SyncState.of("x")).hasMessageContaining("srsubstate");
    }
}
