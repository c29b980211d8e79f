package io.pgmigrate.transport;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineCaptureTest {
    private final List<String> lines = new ArrayList<>();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void linesAreHandedOverWhenCompleteAcrossWrites() {
        LineCapture c = new LineCapture(lines::add, new Object(), Long.MAX_VALUE);
        c.write(b("one\ntw"), 0, 6);
        c.flush();
        assertThat(lines).containsExactly("one");
        byte[] rest = b("o\nGröße 数据\nlast");
        c.write(rest, 0, rest.length);
        assertThat(lines).containsExactly("one", "two", "Größe 数据");
        c.finish();
        assertThat(lines).containsExactly("one", "two", "Größe 数据", "last");
        assertThat(c.text()).isEqualTo("one\ntwo\nGröße 数据\nlast");
    }

    @Test
    void onlyTheTailIsKeptFromALineStart() {
        LineCapture c = new LineCapture(lines::add, new Object(), 10);
        for (int i = 0; i < 100; i++) {
            byte[] line = b("line" + i + "\n");
            c.write(line, 0, line.length);
        }
        c.finish();
        assertThat(lines).hasSize(100).endsWith("line99");
        assertThat(c.text()).isEqualTo("line99\n");
    }

    @Test
    void aVeryLongLineComesInPieces() {
        LineCapture c = new LineCapture(lines::add, new Object(), Long.MAX_VALUE);
        byte[] big = b("x".repeat(LineCapture.MAX_LINE * 2 + 5) + "\n");
        c.write(big, 0, big.length);
        c.finish();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).hasSize(LineCapture.MAX_LINE);
        assertThat(lines.get(2)).hasSize(5);
    }
}
