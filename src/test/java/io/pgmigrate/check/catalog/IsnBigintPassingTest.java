package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.pg.ControlData;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import static io.pgmigrate.check.catalog.CheckInputs.input;
import static org.assertj.core.api.Assertions.assertThat;

class IsnBigintPassingTest {
    private final IsnBigintPassing check = new IsnBigintPassing();

    private static Facts isn(Facts f) {
        f.probe("isn-bigint-passing", "shop", "schema_name", "public", "function_name", "isbn_in",
                "arguments", "cstring", "extension", "isn");
        f.probe("isn-bigint-passing", "shop", "schema_name", "public", "function_name", "isbn_out",
                "arguments", "isbn", "extension", "isn");
        f.probe("isn-bigint-passing", "Books", "schema_name", "Lib", "function_name", "My Isbn",
                "arguments", "bigint", "extension", null);
        return f;
    }

    @Test
    void probeLooksForIsnsLibrary() {
        assertThat(check.probes(CheckInputs.path(15, 18)).get(0).sql()).contains("p.probin = '$libdir/isn'");
    }

    @Test
    void quietWhenTheSourcePassesByValue() {
        assertThat(check.evaluate(input(isn(Facts.healthy())))).isEmpty();
    }

    @Test
    void quietWithoutIsn() {
        Facts f = Facts.healthy();
        f.control.put(ControlData.FLOAT8_PASSING, "by reference");
        assertThat(check.evaluate(input(f))).isEmpty();
    }

    @Test
    void firesWhenTheSourcePassesByReference() {
        Facts f = isn(Facts.healthy());
        f.control.put(ControlData.FLOAT8_PASSING, "by reference");
        Finding x = check.evaluate(input(f)).get(0);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.detail()).startsWith("The source passes bigint/float8 arguments by reference (pg_controldata)");
        assertThat(x.objects()).containsExactly("db shop: extension isn (2 functions in $libdir/isn)",
                "db \"Books\": function \"Lib\".\"My Isbn\"(bigint) uses $libdir/isn");
        assertThat(x.fix()).endsWith("""
                -- in database shop:
                DROP EXTENSION "isn" CASCADE;
                -- in database "Books":
                DROP FUNCTION "Lib"."My Isbn"(bigint) CASCADE;""");
    }
}
