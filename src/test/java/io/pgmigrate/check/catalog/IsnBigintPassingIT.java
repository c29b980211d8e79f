package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.pg.ControlData;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IsnBigintPassingIT extends SourceClusterSupport {
    private final IsnBigintPassing check = new IsnBigintPassing();

    private static Facts byReference() {
        Facts f = Facts.healthy();
        f.control.put(ControlData.FLOAT8_PASSING, "by reference");
        return f;
    }

    @Test
    void findsIsnWhenTheSourcePassesBigintByReference() {
        String db = database("Book Shop");
        pg.sql(db, "CREATE SCHEMA \"ISN Ext\"", "CREATE EXTENSION isn SCHEMA \"ISN Ext\"");
        int functions = Integer.parseInt(query(db, "SELECT count(*) AS n FROM pg_proc WHERE probin = '$libdir/isn'")
                .get(0).get("n"));

        assertThat(run(check)).as("this 64-bit PostgreSQL 15 passes by value").isEmpty();
        List<Finding> findings = run(check, byReference(), CheckInputs.path(15, 18));
        assertThat(objectsOf(findings))
                .containsExactly("db \"Book Shop\": extension isn (" + functions + " functions in $libdir/isn)");

        applyFix(findings.get(0));
        assertThat(run(check, byReference(), CheckInputs.path(15, 18))).isEmpty();
    }
}
