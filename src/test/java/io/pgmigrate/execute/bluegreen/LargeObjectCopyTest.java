package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LargeObjectCopyTest {
    @Test
    void theJournalNoteSaysHowManyHowMuchAndWhatWasRemoved() {
        assertThat(new LargeObjectCopy.Result(0, 0, 0).describe("target", "shop")).isEqualTo("no large objects in shop");
        assertThat(new LargeObjectCopy.Result(0, 0, 2).describe("source", "shop"))
                .isEqualTo("no large objects in shop, 2 removed from source");
        assertThat(new LargeObjectCopy.Result(3, 3L << 20, 1).describe("target", "shop"))
                .isEqualTo("3 large object(s) (3 MiB) copied to target in shop, 1 removed there");
    }

    @Test
    void aSessionWithoutItsOwnByteReadDecodesTheHexText() {
        SqlSession session = new SqlSession() {
            @Override
            public List<SqlRow> query(String sql, Object... params) {
                return List.of(new SqlRow(Map.of("lo_get", "\\x00ff41")));
            }

            @Override
            public void execute(String sql) {
            }

            @Override
            public String database() {
                return "shop";
            }

            @Override
            public void close() {
            }
        };
        assertThat(session.queryBytes("SELECT lo_get(1)")).containsExactly(0, 0xff, 0x41);
    }
}
