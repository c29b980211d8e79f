package io.pgmigrate.app;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.demo.DemoTransport;
import io.pgmigrate.transport.TransportOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What pgmigrate demo refuses before it creates anything, --stop on what is not a demo, and its formatting. */
class DemoServiceTest {
    @TempDir
    Path tmp;

    private DemoService service() {
        return new DemoService(Clock.systemUTC(), Map.of("PGMIGRATE_CACHE", tmp.resolve("no-cache").toString()));
    }

    private DemoService.Request request(Path dir, String mode, int scale) {
        return new DemoService.Request(dir, mode, scale, TransportOptions.defaults(), DemoTransport.SshTarget.defaults());
    }

    private void assertBadInput(Runnable r, String message) {
        assertThatThrownBy(r::run).isInstanceOf(PgMigrateException.class).hasMessageContaining(message)
                .extracting(e -> ((PgMigrateException) e).exitCode().code()).isEqualTo(2);
    }

    @Test
    void anUnknownModeOrScaleIsRefused() {
        StringWriter out = new StringWriter();
        Path dir = tmp.resolve("demo");
        assertBadInput(() -> service().run(request(dir, "swp", 5), new PrintWriter(out)),
                "--mode must be one of swap, link, clone, copy, got 'swp'");
        assertBadInput(() -> service().run(request(dir, "swap", 0), new PrintWriter(out)),
                "--scale must be between 1 and 1000, got 0");
        assertThat(dir).doesNotExist();
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aDirectoryWithOtherFilesIsNeverUsed() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(dir.resolve("precious.txt"), "keep me");
        assertBadInput(() -> service().run(request(dir, "swap", 1), new PrintWriter(new StringWriter())),
                dir + " exists and is not a demo directory (it has no .pgmigrate-demo); choose another --dir");
        assertBadInput(() -> service().stop(dir, TransportOptions.defaults()),
                dir + " is not a demo directory (it has no .pgmigrate-demo), so demo --stop leaves it alone");
        assertThat(dir.resolve("precious.txt")).hasContent("keep me");
    }

    @Test
    void withoutTheToolchainOneLineSaysToRunIt() {
        assertBadInput(() -> service().run(request(tmp.resolve("demo"), "swap", 1), new PrintWriter(new StringWriter())),
                "run scripts/toolchain.sh as root first");
        assertThat(tmp.resolve("demo")).doesNotExist();
    }

    @Test
    void stopWithoutADemoHasNothingToDo() {
        DemoService.Outcome o = service().stop(tmp.resolve("demo"), TransportOptions.defaults());
        assertThat(o.exitCode().code()).isZero();
        assertThat(o.lines()).containsExactly("no demo in " + tmp.resolve("demo") + ": nothing to remove");
    }

    @Test
    void anOutageBelowAMinuteShowsTenths() {
        assertThat(DemoService.precise(Duration.ofMillis(8240))).isEqualTo("8.2s");
        assertThat(DemoService.precise(Duration.ofMillis(40))).isEqualTo("0.0s");
        assertThat(DemoService.precise(Duration.ofSeconds(75))).isEqualTo("1m 15s");
    }

    @Test
    void findingsAreCountedBySeverity() {
        assertThat(DemoService.findings(List.of())).isEqualTo("no findings");
        Finding info = Finding.info("a", "A", "");
        Finding warning = Finding.warning("b", "B", "", List.of(), null);
        assertThat(DemoService.findings(List.of(info, warning, warning, info, info)))
                .isEqualTo("2 warnings, 3 info");
        assertThat(DemoService.findings(List.of(warning))).isEqualTo("1 warning");
    }
}
