package io.pgmigrate.transport;

import io.pgmigrate.transport.DetachedCommand.Reply;
import io.pgmigrate.transport.DetachedCommand.Status;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetachedCommandTest {
    private static String b64(String s) {
        return Base64.getMimeEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] b, int from, int to) {
        return Base64.getMimeEncoder().encodeToString(java.util.Arrays.copyOfRange(b, from, to));
    }

    @Test
    void repliesAreParsed() {
        Reply r = Reply.parse("started RUNNING - 6 10\n" + b64("ab\ncd\n"), 0);
        assertThat(r.launched()).isTrue();
        assertThat(r.status()).isEqualTo(Status.RUNNING);
        assertThat(new String(r.chunk(), StandardCharsets.UTF_8)).isEqualTo("ab\ncd\n");
        assertThat(r.moreOutput()).isTrue();
        Reply f = Reply.parse("- FINISHED 7 3 3\n", 3);
        assertThat(f.launched()).isFalse();
        assertThat(f.status()).isEqualTo(Status.finished(7));
        assertThat(f.status().toString()).isEqualTo("FINISHED(7)");
        assertThat(f.moreOutput()).isFalse();
        assertThatThrownBy(() -> Reply.parse("- WEIRD - 0 0\n", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.parse("- FINISHED x 0 0\n", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.parse("", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.parse("- RUNNING - 9 9\n" + b64("ab"), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outputIsHandedOverInWholeLinesAcrossPolls() {
        io.pgmigrate.testing.CollectedLines l = new io.pgmigrate.testing.CollectedLines();
        List<String> lines = l.lines();
        DetachedOutput out = new DetachedOutput();
        byte[] all = "one\ntwo Größe\nthree".getBytes(StandardCharsets.UTF_8);
        int cut = 11; // inside the ö
        out.accept(Reply.parse("- RUNNING - " + cut + " 99\n" + b64(all, 0, cut), 0), l);
        assertThat(out.offset()).isEqualTo(cut);
        assertThat(lines).containsExactly("one");
        out.accept(Reply.parse("- RUNNING - " + all.length + " 99\n" + b64(all, cut, all.length), cut), l);
        assertThat(lines).containsExactly("one", "two Größe");
        out.finish(l);
        assertThat(lines).containsExactly("one", "two Größe", "three");
        assertThat(out.offset()).isEqualTo(all.length);
    }

    @Test
    void namesAndPathsAreChecked() {
        LocalShell sh = new LocalShell(null);
        assertThatThrownBy(() -> DetachedCommand.on(sh, "relative", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DetachedCommand.on(sh, "/tmp", "../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DetachedCommand.on(sh, "/tmp", "a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DetachedCommand.on(sh, "/tmp", "x").start(List.of("true"), "rel"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DetachedCommand.on(sh, "/var/lib/pgmigrate/run", "pg_upgrade.1").path())
                .isEqualTo("/var/lib/pgmigrate/run/pg_upgrade.1");
    }
}
