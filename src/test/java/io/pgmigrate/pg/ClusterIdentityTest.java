package io.pgmigrate.pg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a data directory holds, as the host prints it, and how it differs from the cluster pgmigrate recorded. */
class ClusterIdentityTest {
    private static final ClusterIdentity MADE = new ClusterIdentity(18, "7581234567890123456");

    @Test
    void readsPgVersionAndTheControlFilesIdentifier() {
        assertThat(ClusterIdentity.parse("PG_VERSION 18\nID 7581234567890123456\n")).isEqualTo(MADE);
        assertThat(ClusterIdentity.parse("PG_VERSION 9.6\nID 12\n")).isEqualTo(new ClusterIdentity(906, "12"));
        assertThat(ClusterIdentity.parse("PG_VERSION -\nID -\n")).isEqualTo(new ClusterIdentity(0, null));
        assertThat(ClusterIdentity.parse("PG_VERSION junk\nID 12abc\n")).isEqualTo(new ClusterIdentity(0, null));
    }

    @Test
    void sqlsSignedIdentifierIsTheUnsignedOneOfPgControldata() {
        assertThat(new ClusterIdentity(15, "-1").systemIdentifier()).isEqualTo("18446744073709551615");
        assertThat(new ClusterIdentity(15, "42").systemIdentifier()).isEqualTo("42");
    }

    @Test
    void saysWhatDiffers() {
        assertThat(MADE.differs(new ClusterIdentity(18, "7581234567890123456"))).isNull();
        assertThat(MADE.differs(new ClusterIdentity(15, "7581234567890123456")))
                .isEqualTo("its PG_VERSION says 15, not 18");
        assertThat(MADE.differs(new ClusterIdentity(0, null))).isEqualTo("it has no PG_VERSION");
        assertThat(MADE.differs(new ClusterIdentity(18, null))).isEqualTo("its global/pg_control cannot be read");
        assertThat(MADE.differs(new ClusterIdentity(18, "1")))
                .isEqualTo("its system identifier is 1, not 7581234567890123456");
        assertThat(MADE.toString()).isEqualTo("PostgreSQL 18, system identifier 7581234567890123456");
    }
}
