package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.pg.ControlData;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Stream;

import static io.pgmigrate.check.catalog.CheckInputs.input;
import static io.pgmigrate.check.catalog.CheckInputs.path;
import static org.assertj.core.api.Assertions.assertThat;

/** The shared search, and the version gates of every type check built on it. */
class TypeUsageCheckTest {
    @Test
    void followsDomainsArraysCompositesRangesAndFromFourteenMultiranges() {
        String sql = new RegTypeColumns().probes(path(15, 18)).get(0).sql();
        assertThat(sql).contains("WITH RECURSIVE problem_types(oid)", "d.typbasetype = x.oid",
                "t.typarray", "c.reltype", "r.rngsubtype = x.oid", "r.rngmultitypid");
        assertThat(new RegTypeColumns().probes(path(13, 18)).get(0).sql()).doesNotContain("rngmultitypid");
        // no per-table query: one statement, the recursion runs over types, not tables
        assertThat(sql.split(";")).hasSize(1);
    }

    static Stream<Arguments> gates() {
        return Stream.of(
                // check, sources where it applies, sources where it does not
                Arguments.of(new SystemCompositeColumns(), List.of(906, 12, 15, 17, 18), List.of()),
                Arguments.of(new RegTypeColumns(), List.of(906, 12, 15, 17, 18), List.of()),
                Arguments.of(new LineColumns(), List.of(902, 903), List.of(904, 906, 12, 15)),
                Arguments.of(new UnknownColumns(), List.of(903, 906), List.of(10, 12, 15)),
                Arguments.of(new SqlIdentifierColumns(), List.of(906, 10, 11), List.of(12, 15, 18)),
                Arguments.of(new RemovedTimeTypeColumns(), List.of(906, 11), List.of(12, 15)),
                Arguments.of(new JsonbBetaColumns(), List.of(904), List.of(903, 905, 12, 15)));
    }

    @ParameterizedTest
    @MethodSource("gates")
    void versionGates(PreCheck check, List<Integer> applies, List<Integer> doesNot) {
        for (int source : applies) {
            assertThat(check.appliesTo(path(source, 18))).as("%s from %d", check.id(), source).isTrue();
        }
        for (int source : doesNot) {
            assertThat(check.appliesTo(path(source, 18))).as("%s from %d", check.id(), source).isFalse();
        }
    }

    @Test
    void baseTypesOfEachCheck() {
        assertThat(new LineColumns().baseTypesQuery()).endsWith("n.nspname = 'pg_catalog' AND t.typname IN ('line')");
        assertThat(new UnknownColumns().baseTypesQuery()).endsWith("IN ('unknown')");
        assertThat(new SqlIdentifierColumns().baseTypesQuery())
                .endsWith("n.nspname = 'information_schema' AND t.typname IN ('sql_identifier')");
        assertThat(new RemovedTimeTypeColumns().baseTypesQuery()).endsWith("IN ('abstime', 'reltime', 'tinterval')");
        assertThat(new JsonbBetaColumns().baseTypesQuery()).endsWith("IN ('jsonb')");
        assertThat(new SystemCompositeColumns().baseTypesQuery())
                .endsWith("WHERE t.typtype = 'c' AND (t.oid < 16384 OR n.nspname = 'information_schema')");
    }

    @Test
    void droppedRatherThanConvertedWhenThereIsNoReplacement() {
        Facts f = Facts.healthy();
        AclitemColumnsTest.column(f, "line-columns", "shop", "geo", "lines", "r", "l", "line", "0", null);
        Finding x = new LineColumns().evaluate(input(f, 903, 18)).get(0);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.objects()).containsExactly("db shop: geo.lines.l (line)");
        assertThat(x.fix()).isEqualTo("""
                Drop the listed columns before the upgrade (inherited columns go with their parent's; views using \
                a column must be dropped first and recreated):
                -- in database shop:
                ALTER TABLE "geo"."lines" DROP COLUMN "l";""");
    }

    @Test
    void jsonbOnlyFromA94BetaCatalog() {
        JsonbBetaColumns check = new JsonbBetaColumns();
        Facts beta = Facts.healthy();
        beta.control.put(ControlData.CATALOG_VERSION, "201405xxx".replace("xxx", "091"));
        AclitemColumnsTest.column(beta, "jsonb-beta-columns", "shop", "public", "docs", "r", "body", "jsonb", "0", null);
        assertThat(check.evaluate(input(beta, 904, 18))).singleElement()
                .satisfies(x -> assertThat(x.objects()).containsExactly("db shop: public.docs.body (jsonb)"));

        Facts released = Facts.healthy();
        released.control.put(ControlData.CATALOG_VERSION, "201409291");
        AclitemColumnsTest.column(released, "jsonb-beta-columns", "shop", "public", "docs", "r", "body", "jsonb", "0",
                null);
        assertThat(check.evaluate(input(released, 904, 18))).isEmpty();
    }

    @Test
    void eachCheckTitlesItsOwnFinding() {
        Facts f = Facts.healthy();
        AclitemColumnsTest.column(f, "reg-type-columns", "shop", "public", "jobs", "r", "fn", "regproc", "0", null);
        AclitemColumnsTest.column(f, "system-composite-columns", "shop", "public", "snap", "r", "c", "pg_class", "0",
                null);
        Finding reg = new RegTypeColumns().evaluate(input(f)).get(0);
        assertThat(reg.check()).isEqualTo("reg-type-columns");
        assertThat(reg.title()).isEqualTo("User columns of reg* types whose OIDs pg_upgrade does not preserve");
        assertThat(reg.objects()).containsExactly("db shop: public.jobs.fn (regproc)");
        Finding sys = new SystemCompositeColumns().evaluate(input(f)).get(0);
        assertThat(sys.check()).isEqualTo("system-composite-columns");
        assertThat(sys.objects()).containsExactly("db shop: public.snap.c (pg_class)");
        assertThat(sys.detail()).endsWith("(found 1 column).");
    }
}
