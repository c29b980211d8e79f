package io.pgmigrate.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs programs on this machine ({@code host: local}) straight from the argument list, no shell.
 * With {@code become}, through {@code sudo -n -u USER --}.
 */
public final class LocalShell implements HostShell {
    private final String become;

    public LocalShell(String become) {
        this.become = become;
    }

    /** The argument list actually executed: argv, or sudo -n -u USER -- argv. */
    List<String> withBecome(List<String> argv) {
        return Become.wrap(become, System.getProperty("user.name"), argv);
    }

    @Override
    public CommandResult run(List<String> argv, Duration timeout) {
        List<String> full = withBecome(argv);
        Process p;
        try {
            p = new ProcessBuilder(full).start();
        } catch (IOException e) {
            throw new TransportException("cannot run '" + argv.get(0) + "' on this machine: " + e.getMessage(), e);
        }
        try {
            p.getOutputStream().close();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new TransportException("'" + argv.get(0) + "' on this machine did not finish within " + timeout.toSeconds() + " s");
            }
            return new CommandResult(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while running '" + argv.get(0) + "'", e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in; ByteArrayOutputStream buf = new ByteArrayOutputStream()) {
                in.transferTo(buf);
                return buf.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    @Override
    public String describe() {
        return become == null ? "local" : "local (as " + become + ")";
    }

    @Override
    public void close() {
        // nothing held open
    }
}
