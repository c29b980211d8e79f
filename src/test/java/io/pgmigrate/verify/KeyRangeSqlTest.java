package io.pgmigrate.verify;

import io.pgmigrate.verify.TableShape.Key;
import io.pgmigrate.verify.TableShape.KeyColumn;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The narrowing SQL: key values go back as literals, text keys compare under "C", names quoted. */
class KeyRangeSqlTest {
    private static final KeyColumn TENANT = new KeyColumn("Tenant \"T\"", "text", true);
    private static final KeyColumn ID = new KeyColumn("id", "bigint", false);
    private static final TableShape ONE = shape(List.of(ID));
    private static final TableShape TWO = shape(List.of(TENANT, ID));

    private static TableShape shape(List<KeyColumn> key) {
        return new TableShape(new TableRef("db", "public", "select"),
                List.of(HashedColumn.of("id", "bigint", "int8", false)), new Key("pk", key));
    }

    @Test
    void keyValuesAreQuotedLiteralsCastToTheKeyTypes() {
        assertThat(KeyRangeSql.keyLiteral(List.of(ID), List.of("42"))).isEqualTo("'42'::bigint");
        assertThat(KeyRangeSql.keyLiteral(List.of(TENANT, ID), List.of("O'Brien \\ co", "7")))
                .as("a backslash makes it an E'' literal: it reads the same whatever standard_conforming_strings says")
                .isEqualTo("(E'O''Brien \\\\ co'::text, '7'::bigint)");
        assertThatThrownBy(() -> KeyRangeSql.keyLiteral(List.of(ID), List.of("1", "2")))
                .hasMessageContaining("2 values for a key of 1 columns");
    }

    @Test
    void rangesCompareKeysAsRowsWithTextUnderC() {
        assertThat(KeyRangeSql.where(List.of(ID), KeyRange.ALL)).isEmpty();
        assertThat(KeyRangeSql.where(List.of(ID), new KeyRange(List.of("10"), null))).isEqualTo(" WHERE \"id\" >= '10'::bigint");
        String key = "((\"Tenant \"\"T\"\"\" COLLATE \"C\"), \"id\")";
        assertThat(KeyRangeSql.where(List.of(TENANT, ID), new KeyRange(List.of("a", "1"), List.of("b", "2"))))
                .isEqualTo(" WHERE " + key + " >= ('a'::text, '1'::bigint) AND " + key + " < ('b'::text, '2'::bigint)");
    }

    @Test
    void bucketsAreNumberedByTheBoundariesBelowTheKey() {
        String sql = KeyRangeSql.buckets(ONE, KeyRange.ALL, List.of(List.of("100"), List.of("200")));
        assertThat(sql).startsWith("SELECT s.b, pg_catalog.count(*) AS rows, pg_catalog.sum(")
                .contains("CASE WHEN \"id\" < '100'::bigint THEN 0 WHEN \"id\" < '200'::bigint THEN 1 ELSE 2 END AS b")
                .contains("FROM ONLY \"public\".\"select\"")
                .endsWith(" OFFSET 0) s GROUP BY s.b ORDER BY s.b");
        assertThat(KeyRangeSql.buckets(ONE, KeyRange.ALL, List.of())).contains("SELECT 0 AS b, ");
    }

    @Test
    void boundariesAndRowsNameTheirColumnsByPositionNotByTheTablesNames() {
        String b = KeyRangeSql.boundaries(TWO, new KeyRange(null, List.of("m", "0")), 625);
        assertThat(b).startsWith("SELECT s.k0::pg_catalog.text AS k0, s.k1::pg_catalog.text AS k1 FROM (SELECT "
                        + "\"Tenant \"\"T\"\"\" AS k0, \"id\" AS k1, pg_catalog.row_number() OVER (ORDER BY "
                        + "(\"Tenant \"\"T\"\"\" COLLATE \"C\"), \"id\") AS rn FROM ONLY")
                .endsWith(") s WHERE s.rn % 625 = 0 ORDER BY s.rn");
        String r = KeyRangeSql.rows(TWO, KeyRange.ALL);
        assertThat(r).startsWith("SELECT s.k0, s.k1, pg_catalog.hashint8extended(s.h, s.h)::pg_catalog.text AS h FROM (SELECT "
                + "\"Tenant \"\"T\"\"\"::pg_catalog.text AS k0, \"id\"::pg_catalog.text AS k1, ");
    }
}
