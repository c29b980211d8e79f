package io.pgmigrate.execute;

import io.pgmigrate.journal.JournalEvent;

import io.pgmigrate.journal.Journal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * A failure injected from outside: listens on a TCP port on 127.0.0.1 from the moment the execution's
 * journal shows one event until it shows another, as a stray process taking a database's port would.
 */
public final class PortSquatter implements AutoCloseable {
    private final Thread watcher;
    private volatile boolean held;
    private volatile boolean stop;

    private PortSquatter(Path journal, int port, Predicate<JournalEvent> take, Predicate<JournalEvent> release) {
        watcher = new Thread(() -> {
            try {
                await(journal, take);
                try (ServerSocket socket = bindWithin(port, Duration.ofSeconds(30))) {
                    held = true;
                    await(journal, release);
                }
            } catch (IOException | InterruptedException e) {
                // the test asserts held(): a squatter that never took the port fails it
            }
        }, "port-squatter");
        watcher.setDaemon(true);
        watcher.start();
    }

    public static PortSquatter when(Path journal, int port, Predicate<JournalEvent> take, Predicate<JournalEvent> release) {
        return new PortSquatter(journal, port, take, release);
    }

    public boolean held() {
        return held;
    }

    private void await(Path journal, Predicate<JournalEvent> event) throws InterruptedException {
        while (!stop) {
            if (journal.toFile().exists() && Journal.read(journal).stream().anyMatch(event)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new InterruptedException("stopped");
    }

    /** The old server may still be closing the port: try until it is free. */
    private ServerSocket bindWithin(int port, Duration patience) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(patience);
        while (true) {
            ServerSocket s = new ServerSocket();
            try {
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
                return s;
            } catch (IOException e) {
                s.close();
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        watcher.join(5000);
    }
}
