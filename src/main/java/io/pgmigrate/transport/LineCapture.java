package io.pgmigrate.transport;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One output stream of a program: splits it into UTF-8 lines for a listener as bytes arrive and
 * keeps the text for the result, either in full or only its last {@code keep} bytes (cut to start
 * at a line). A line longer than {@value #MAX_LINE} bytes is handed over in pieces of that size.
 */
final class LineCapture extends OutputStream {
    static final int MAX_LINE = 64 * 1024;

    private final Consumer<String> lines;
    private final Object lock;
    private final long keep;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean truncated;

    /** lines receives every line, under lock; keep is how many trailing bytes to keep (Long.MAX_VALUE: all, 0: none). */
    LineCapture(Consumer<String> lines, Object lock, long keep) {
        this.lines = lines;
        this.lock = lock;
        this.keep = keep;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        keep(b, off, len);
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                line.write(b, start, i - start);
                emit();
                start = i + 1;
            } else if (line.size() + (i - start) >= MAX_LINE) {
                line.write(b, start, i - start);
                emit();
                start = i;
            }
        }
        line.write(b, start, off + len - start);
    }

    private void keep(byte[] b, int off, int len) {
        if (keep == 0) {
            return;
        }
        kept.write(b, off, len);
        if (keep != Long.MAX_VALUE && kept.size() > 2 * keep) {
            byte[] all = kept.toByteArray();
            kept.reset();
            kept.write(all, all.length - (int) keep, (int) keep);
            truncated = true;
        }
    }

    private void emit() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        synchronized (lock) {
            lines.accept(text);
        }
    }

    /** Nothing: a line is handed over when it is complete (JSch flushes after every packet). */
    @Override
    public void flush() {
    }

    /** At the end of the stream: hands over a last line without a line end, if any. */
    synchronized void finish() {
        if (line.size() > 0) {
            emit();
        }
    }

    /** What was kept: everything, or the last keep bytes from the first line start in them. */
    synchronized String text() {
        byte[] all = kept.toByteArray();
        int from = all.length > keep ? (int) (all.length - keep) : 0;
        if ((truncated || from > 0) && !(from > 0 && all[from - 1] == '\n')) {
            while (from < all.length && all[from] != '\n') {
                from++;
            }
            from = Math.min(from + 1, all.length);
        }
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }
}
