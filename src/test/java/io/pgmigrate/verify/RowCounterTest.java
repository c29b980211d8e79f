package io.pgmigrate.verify;

import io.pgmigrate.verify.TableCatalog.TableInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RowCounterTest {
    private static TableInfo table(String db, String name, long bytes) {
        return new TableInfo(new TableRef(db, "public", name), "table", false, bytes, 10);
    }

    @Test
    void largeTablesGoFirstAloneAndSmallOnesInBatchesPerDatabase() {
        List<TableInfo> tables = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            tables.add(table("shop", "t" + i, 8192));
        }
        tables.add(table("crm", "small", 0));
        tables.add(table("shop", "big", 1L << 30));
        tables.add(table("shop", "bigger", 2L << 30));

        List<List<TableInfo>> items = RowCounter.workItems(tables, RowCounter.Options.exact(2));

        assertThat(items.get(0)).extracting(t -> t.table().name()).containsExactly("bigger");
        assertThat(items.get(1)).extracting(t -> t.table().name()).containsExactly("big");
        assertThat(items.subList(2, items.size())).extracting(List::size).containsExactly(100, 100, 50, 1);
        assertThat(items.stream().flatMap(List::stream).count()).isEqualTo(tables.size());
        assertThat(items).allSatisfy(item -> assertThat(item).extracting(t -> t.table().database()).containsOnly(
                item.get(0).table().database()));
    }
}
