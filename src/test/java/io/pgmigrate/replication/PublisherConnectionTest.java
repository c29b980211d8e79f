package io.pgmigrate.replication;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublisherConnectionTest {
    @Test
    void everyValueIsQuotedAsLibpqReadsItAndThereIsNoPassword() {
        PublisherConnection c = new PublisherConnection("db1.internal", 5432, "repl", "shop 'o\\x' ü", "verify-full");
        assertThat(c.conninfo()).isEqualTo(
                "host='db1.internal' port=5432 user='repl' dbname='shop \\'o\\\\x\\' ü' sslmode='verify-full'");
        assertThat(c.conninfo()).doesNotContain("password");
    }

    @Test
    void sslmodeMayBeLeftToLibpq() {
        assertThat(new PublisherConnection("h", 1, "u", "d", null).conninfo()).isEqualTo("host='h' port=1 user='u' dbname='d'");
    }

    @Test
    void missingPartsAreRefused() {
        assertThatThrownBy(() -> new PublisherConnection("", 5432, "u", "d", null)).hasMessageContaining("host");
        assertThatThrownBy(() -> new PublisherConnection("h", 0, "u", "d", null)).hasMessageContaining("port");
    }
}
