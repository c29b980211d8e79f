package io.pgmigrate.pg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValueTypesTest {
    private static final String CONTROLDATA = """
            pg_control version number:            1300
            Catalog version number:               202209061
            Database system identifier:           7441234567890123456
            Database cluster state:               shut down
            Latest checkpoint location:           0/1A2B3C8
            Bytes per WAL segment:                16777216
            Data page checksum version:           0
            Float8 argument passing:              by value
            """;

    @Test
    void controlDataParsesTheFieldsPgmigrateDecidesOn() {
        ControlData cd = ControlData.parse(CONTROLDATA);
        assertThat(cd.systemIdentifier()).isEqualTo("7441234567890123456");
        assertThat(cd.shutDownCleanly()).isTrue();
        assertThat(cd.dataChecksums()).isFalse();
        assertThat(cd.walSegmentSize()).isEqualTo(16777216L);
        assertThat(ControlData.parse(CONTROLDATA.replace("checksum version:           0", "checksum version:           1"))
                .dataChecksums()).isTrue();
        assertThatThrownBy(() -> ControlData.parse("hello: world")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lsnParsesPrintsAndOrders() {
        Lsn a = Lsn.parse("16/B374D848");
        assertThat(a.toString()).isEqualTo("16/B374D848");
        assertThat(Lsn.parse("0/1")).isLessThan(Lsn.parse("1/0"));
        assertThat(Lsn.parse("1/0").bytesAfter(Lsn.parse("0/FFFFFFFF"))).isEqualTo(1);
    }

    @Test
    void identifiersAndLiteralsAreQuoted() {
        assertThat(SqlIdentifiers.quote("select")).isEqualTo("\"select\"");
        assertThat(SqlIdentifiers.quote("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(SqlIdentifiers.qualified("My Schema", "t")).isEqualTo("\"My Schema\".\"t\"");
        assertThat(SqlIdentifiers.literal("it's")).isEqualTo("'it''s'");
        assertThatThrownBy(() -> SqlIdentifiers.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }
}
