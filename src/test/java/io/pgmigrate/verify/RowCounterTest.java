package io.pgmigrate.verify;

import io.pgmigrate.verify.RowCounter.Work;
import io.pgmigrate.verify.TableCatalog.TableInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RowCounterTest {
    private static TableInfo table(String db, String name, long bytes) {
        return new TableInfo(new TableRef(db, "public", name), "table", false, bytes, bytes / 8192, 10);
    }

    private static List<Work> items(List<TableInfo> tables, RowCounter.Options options, long slicePages) {
        return RowCounter.workItems(tables, options, RowCounter.SMALL_TABLE_BYTES, slicePages);
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

        List<Work> items = items(tables, RowCounter.Options.exact(2), 0);

        assertThat(items.get(0).tables()).extracting(t -> t.table().name()).containsExactly("bigger");
        assertThat(items.get(1).tables()).extracting(t -> t.table().name()).containsExactly("big");
        assertThat(items.subList(2, items.size())).extracting(w -> w.tables().size()).containsExactly(100, 100, 50, 1);
        assertThat(items).allSatisfy(w -> assertThat(w.range()).isEqualTo(BlockRange.WHOLE));
        assertThat(items.stream().mapToLong(w -> w.tables().size()).sum()).isEqualTo(tables.size());
        assertThat(items).allSatisfy(item -> assertThat(item.tables()).extracting(t -> t.table().database())
                .containsOnly(item.tables().get(0).table().database()));
    }

    @Test
    void aLargeTableIsCutIntoSlicesThatCoverEveryBlockOnce() {
        TableInfo big = table("shop", "big", 640L << 20); // 81,920 blocks: 5 slices of 128 MiB
        TableInfo medium = table("shop", "medium", 150L << 20); // below 1.5 slices: whole
        List<Work> items = items(List.of(medium, big, table("shop", "tiny", 8192)), RowCounter.Options.exact(2),
                RowCounter.SLICE_PAGES);

        List<Work> slices = items.stream().filter(w -> w.tables().get(0) == big).toList();
        assertThat(items.subList(0, slices.size())).isEqualTo(slices); // largest first, slices together
        assertThat(slices).extracting(Work::range).containsExactly(new BlockRange(0, 16_384L),
                new BlockRange(16_384, 32_768L), new BlockRange(32_768, 49_152L), new BlockRange(49_152, 65_536L),
                new BlockRange(65_536, null));
        assertThat(items.get(slices.size())).isEqualTo(Work.whole(medium));
    }

    @Test
    void estimatedTablesAreNeitherSlicedNorBatched() {
        TableInfo big = table("shop", "big", 2L << 30);
        List<Work> items = items(List.of(big), new RowCounter.Options(2, 1L << 30), RowCounter.SLICE_PAGES);
        assertThat(items).containsExactly(Work.whole(big));
    }
}
