package io.pgmigrate.testing;

import io.pgmigrate.transport.OutputListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link OutputListener} that keeps every line it is handed, stderr's marked "ERR ", in order. */
public final class CollectedLines implements OutputListener {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void onStdout(String line) {
        lines.add(line);
    }

    @Override
    public void onStderr(String line) {
        lines.add("ERR " + line);
    }

    /** The lines so far (a live view). */
    public List<String> lines() {
        return lines;
    }

    public void clear() {
        lines.clear();
    }
}
