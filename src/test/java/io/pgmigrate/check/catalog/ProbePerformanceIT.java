package io.pgmigrate.check.catalog;

import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.inspect.ProbeRunner;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every catalog probe of a 15 → 18 plan against a database of 10,000 tables: each stays one catalog pass
 * (no per-table queries), so each takes well under a few seconds even on a busy machine.
 */
class ProbePerformanceIT extends SourceClusterSupport {
    private static final int TABLES = 10_000;
    private static final long LIMIT_MILLIS = 10_000;

    @Test
    void probesStayFastWithTenThousandTables() {
        String db = database("Ten Thousand");
        // in batches: one transaction holding 10,000 table locks would exhaust the lock table
        for (int from = 1; from <= TABLES; from += 500) {
            pg.sql(db, "DO $$ BEGIN FOR i IN " + from + ".." + (from + 499) + " LOOP"
                    + " EXECUTE format('CREATE TABLE t_%s (id bigint, payload text, at timestamptz%s)', i,"
                    + " CASE WHEN i % 1000 = 0 THEN ', acl aclitem' ELSE '' END);"
                    + " END LOOP; END $$");
        }
        UpgradePath path = CheckInputs.path(15, 18);
        Map<String, Long> millis = new LinkedHashMap<>();
        Map<String, List<ProbeRow>> rows = new LinkedHashMap<>();
        for (PreCheck check : CatalogChecks.all()) {
            if (!check.appliesTo(path)) {
                continue;
            }
            for (Probe probe : check.probes(path)) {
                long start = System.nanoTime();
                rows.putAll(ProbeRunner.run(List.of(probe), List.of(db), db, pg::connect));
                millis.put(probe.id(), (System.nanoTime() - start) / 1_000_000);
            }
        }
        System.out.println("probe timings with " + TABLES + " tables (ms): " + millis);
        assertThat(millis).allSatisfy((id, ms) -> assertThat(ms).as(id).isLessThan(LIMIT_MILLIS));
        assertThat(rows.get("aclitem-columns")).hasSize(TABLES / 1000);
    }
}
