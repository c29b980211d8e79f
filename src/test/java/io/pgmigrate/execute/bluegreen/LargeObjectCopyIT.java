package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LargeObjectCopy} between a blue of PostgreSQL 15 and a green of 18 (roles made on both, as the plan's
 * globals step does): oids, owners, privileges (a grant chain, and green's default privileges for large objects, new
 * in 18, that must not leak into the copies), comments and contents (empty, exactly one chunk, several chunks) end
 * equal; a rerun after changes on blue, and the copy back from 18 to 15, end equal too; a failed copy leaves the
 * target as it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LargeObjectCopyIT {
    private static final String STATE = "SELECT m.oid::text || ' ' || pg_get_userbyid(m.lomowner) || ' '"
            + " || coalesce(m.lomacl, acldefault('L', m.lomowner))::text || ' '"
            + " || coalesce(obj_description(m.oid, 'pg_largeobject'), '-') || ' ' || length(lo_get(m.oid))"
            + " || ' ' || md5(lo_get(m.oid)) AS line FROM pg_largeobject_metadata m ORDER BY m.oid";
    private PgCluster blue;
    private PgCluster green;

    @BeforeAll
    void start() {
        blue = PgCluster.start(15);
        green = PgCluster.start(18);
        for (PgCluster c : List.of(blue, green)) {
            c.createDatabase("shop");
            c.sql("postgres", "CREATE ROLE clerk NOLOGIN", "CREATE ROLE \"Read er\" NOLOGIN");
        }
        blue.sql("shop",
                "SELECT lo_from_bytea(20001, 'scanned invoice')",
                "SELECT lo_from_bytea(20002, convert_to(string_agg(md5(g::text), '' ORDER BY g), 'UTF8'))"
                        + " FROM generate_series(1, 80000) g",
                "SELECT lo_from_bytea(20003, '')",
                "SELECT lo_from_bytea(20004, decode(repeat('ab', 1048576), 'hex'))",
                "SELECT lo_from_bytea(20005, 'contract')",
                "ALTER LARGE OBJECT 20002 OWNER TO clerk",
                "ALTER LARGE OBJECT 20005 OWNER TO clerk",
                "GRANT SELECT ON LARGE OBJECT 20005 TO \"Read er\" WITH GRANT OPTION",
                "SET ROLE \"Read er\"", "GRANT SELECT ON LARGE OBJECT 20005 TO PUBLIC", "RESET ROLE",
                "GRANT SELECT, UPDATE ON LARGE OBJECT 20001 TO clerk",
                "COMMENT ON LARGE OBJECT 20001 IS 'it''s scanned'");
        // what green has before: one blue lacks, one blue has with other contents, default privileges of 18
        green.sql("shop", "SELECT lo_from_bytea(20009, 'stale')", "SELECT lo_from_bytea(20001, 'old')",
                "ALTER DEFAULT PRIVILEGES FOR ROLE postgres GRANT SELECT ON LARGE OBJECTS TO \"Read er\"");
    }

    @AfterAll
    void stop() {
        for (PgCluster c : new PgCluster[] {green, blue}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private List<String> state(PgCluster c) {
        try (SqlSession s = c.connect("shop")) {
            return s.query(STATE).stream().map(r -> r.get("line")).toList();
        }
    }

    private String copy(PgCluster from, PgCluster to) {
        try (SqlSession f = from.connect("shop"); SqlSession t = to.connect("shop")) {
            return LargeObjectCopy.copy(f, t).describe("target", "shop");
        }
    }

    @Test
    @Order(1)
    void everyLargeObjectOfBlueIsOnGreenAsItIs() {
        List<String> before = state(blue);
        assertThat(before).hasSize(5);
        assertThat(copy(blue, green)).isEqualTo("5 large object(s) (3.4 MiB) copied to target in shop, 1 removed there");
        assertThat(state(green)).containsExactlyElementsOf(before);
        assertThat(state(blue)).containsExactlyElementsOf(before);
        assertThat(before.get(1)).contains(" clerk ", " 2560000 ");
        assertThat(before.get(2)).endsWith(" 0 d41d8cd98f00b204e9800998ecf8427e");
        assertThat(before.get(3)).contains(" 1048576 ");
        assertThat(before.get(4)).contains("\\\"Read er\\\"=r*/clerk", "=r/\\\"Read er\\\"");
        try (SqlSession s = green.connect("shop")) {
            assertThat(s.query("SELECT count(*) AS n FROM pg_shdepend d JOIN pg_roles r ON r.oid = d.refobjid"
                    + " WHERE r.rolname = 'Read er' AND d.classid = 'pg_largeobject'::regclass").get(0).getLong("n"))
                    .as("the grants are known as dependencies of the role").isEqualTo(1);
        }
    }

    @Test
    @Order(2)
    void aRerunAfterChangesOnBlueEndsEqualAgain() {
        blue.sql("shop", "SELECT lo_put(20002, 2559990, 'changed tail, longer than before')",
                "SELECT lo_unlink(20004)", "SELECT lo_from_bytea(20006, 'new')",
                "ALTER LARGE OBJECT 20001 OWNER TO clerk", "REVOKE UPDATE ON LARGE OBJECT 20001 FROM clerk",
                "REVOKE SELECT ON LARGE OBJECT 20005 FROM \"Read er\" CASCADE", "COMMENT ON LARGE OBJECT 20001 IS NULL");
        assertThat(state(green)).isNotEqualTo(state(blue));
        assertThat(copy(blue, green)).startsWith("5 large object(s) (").endsWith("copied to target in shop, 1 removed there");
        assertThat(state(green)).containsExactlyElementsOf(state(blue));
        assertThat(copy(blue, green)).endsWith(", 0 removed there");
        assertThat(state(green)).containsExactlyElementsOf(state(blue));
    }

    @Test
    @Order(3)
    void theCopyBackFromEighteenToFifteenEndsEqual() {
        green.sql("shop", "SELECT lo_put(20006, 0, 'NEW')", "SELECT lo_from_bytea(20007, 'written on green')",
                "SELECT lo_unlink(20003)", "GRANT UPDATE ON LARGE OBJECT 20007 TO \"Read er\"");
        assertThat(copy(green, blue)).startsWith("5 large object(s) (").endsWith("1 removed there");
        assertThat(state(blue)).containsExactlyElementsOf(state(green));
        assertThat(state(blue)).anyMatch(l -> l.startsWith("20007 postgres ") && l.contains("\\\"Read er\\\"=rw/postgres"));
    }

    @Test
    @Order(4)
    void aFailedCopyLeavesTheTargetAsItWas() {
        blue.sql("postgres", "CREATE ROLE only_on_blue NOLOGIN");
        blue.sql("shop", "SELECT lo_from_bytea(20008, 'orphan')", "ALTER LARGE OBJECT 20008 OWNER TO only_on_blue");
        List<String> greenBefore = state(green);
        try (SqlSession f = blue.connect("shop"); SqlSession t = green.connect("shop")) {
            assertThatThrownBy(() -> LargeObjectCopy.copy(f, t)).isInstanceOf(TransportException.class)
                    .hasMessageContaining("only_on_blue");
            List<SqlRow> rows = t.query("SELECT count(*) AS n FROM pg_largeobject_metadata");
            assertThat(rows.get(0).getLong("n")).isEqualTo(greenBefore.size());
        }
        assertThat(state(green)).containsExactlyElementsOf(greenBefore);
        blue.sql("shop", "SELECT lo_unlink(20008)");
        blue.sql("postgres", "DROP ROLE only_on_blue");
    }
}
