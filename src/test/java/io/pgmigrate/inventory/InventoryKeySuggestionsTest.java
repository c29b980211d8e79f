package io.pgmigrate.inventory;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InventoryKeySuggestionsTest {
    private static final List<String> SOURCE = ClusterReader.SOURCE_KEYS;

    @Test
    void suggestsTheClosestKey() {
        assertThat(KeySuggestions.closest("datadir", SOURCE)).contains("dataDir");
        assertThat(KeySuggestions.closest("data_dir", SOURCE)).contains("dataDir");
        assertThat(KeySuggestions.closest("bindr", SOURCE)).contains("binDir");
        assertThat(KeySuggestions.closest("tunel", SOURCE)).contains("tunnel");
        assertThat(KeySuggestions.closest("prot", ClusterReader.PG_KEYS)).contains("port");
        assertThat(KeySuggestions.closest("IdentityFile", ClusterReader.SSH_KEYS)).contains("identity");
        assertThat(KeySuggestions.closest("knownhost", ClusterReader.SSH_KEYS)).contains("knownHosts");
        assertThat(KeySuggestions.closest("smokeQuery", InventoryLoader.ROOT_KEYS)).contains("smokeQueries");
    }

    @Test
    void staysQuietWhenNothingIsClose() {
        assertThat(KeySuggestions.closest("x", SOURCE)).isEmpty();
        assertThat(KeySuggestions.closest("frobnicate", InventoryLoader.ROOT_KEYS)).isEmpty();
        assertThat(KeySuggestions.closest("password", SOURCE)).isEmpty();
    }

    @Test
    void distanceCountsTranspositionsOnce() {
        assertThat(KeySuggestions.distance("port", "prot")).isEqualTo(1);
        assertThat(KeySuggestions.distance("", "abc")).isEqualTo(3);
        assertThat(KeySuggestions.distance("swap", "swap")).isZero();
    }
}
