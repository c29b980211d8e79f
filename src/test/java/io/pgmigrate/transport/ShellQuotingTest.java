package io.pgmigrate.transport;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShellQuotingTest {
    /** Arguments that break naive command lines. */
    static final List<String> AWKWARD = List.of(
            "plain",
            "/var/lib/postgresql/15/main",
            "with space",
            "/path with  two  spaces/data dir",
            "it's",
            "'",
            "''",
            "\"double\"",
            "$HOME",
            "${PGDATA:-x}",
            "`id`",
            "$(id)",
            "a;b",
            "a && b || c",
            "a|b",
            "line1\nline2",
            "\n",
            "trailing newline\n",
            "tab\there",
            "",
            " ",
            "*",
            "?",
            "[a]",
            "~",
            "~postgres",
            "#comment",
            "back\\slash",
            "\\",
            "!",
            "!!",
            "-n",
            "--",
            "-e",
            "%s",
            "<in >out 2>&1",
            "A=b",
            "{a,b}",
            "Größe Δ 数据 😀",
            "héllo 'wörld'");

    @Test
    void safeWordsStayBare() {
        assertThat(ShellQuoting.quote("pg_ctl")).isEqualTo("pg_ctl");
        assertThat(ShellQuoting.quote("/usr/lib/postgresql/18/bin/pg_upgrade")).isEqualTo("/usr/lib/postgresql/18/bin/pg_upgrade");
        assertThat(ShellQuoting.quote("--jobs=4")).isEqualTo("--jobs=4");
        assertThat(ShellQuoting.quote("user@host:5432,a.b")).isEqualTo("user@host:5432,a.b");
    }

    @Test
    void emptyStringIsTwoQuotes() {
        assertThat(ShellQuoting.quote("")).isEqualTo("''");
    }

    @Test
    void specialCharactersAreSingleQuoted() {
        assertThat(ShellQuoting.quote("with space")).isEqualTo("'with space'");
        assertThat(ShellQuoting.quote("$HOME")).isEqualTo("'$HOME'");
        assertThat(ShellQuoting.quote("`id`")).isEqualTo("'`id`'");
        assertThat(ShellQuoting.quote("a;b")).isEqualTo("'a;b'");
        assertThat(ShellQuoting.quote("\"x\"")).isEqualTo("'\"x\"'");
        assertThat(ShellQuoting.quote("line1\nline2")).isEqualTo("'line1\nline2'");
        assertThat(ShellQuoting.quote("Größe")).isEqualTo("'Größe'");
        assertThat(ShellQuoting.quote("~")).isEqualTo("'~'");
    }

    @Test
    void singleQuoteIsClosedEscapedReopened() {
        assertThat(ShellQuoting.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellQuoting.quote("'")).isEqualTo("''\\'''");
    }

    @Test
    void joinSeparatesWordsWithOneSpace() {
        assertThat(ShellQuoting.join(List.of("pg_ctl", "-D", "/data dir", "-m", "fast", "stop")))
                .isEqualTo("pg_ctl -D '/data dir' -m fast stop");
    }

    @Test
    void programNameThatLooksLikeAssignmentOrKeywordIsQuoted() {
        assertThat(ShellQuoting.join(List.of("A=b", "c=d"))).isEqualTo("'A=b' c=d");
        assertThat(ShellQuoting.join(List.of("if", "then"))).isEqualTo("'if' then");
    }

    @Test
    void refusesWhatNoProgramCanReceive() {
        assertThatThrownBy(() -> ShellQuoting.join(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShellQuoting.quote("s3cr3t\0b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> ShellQuoting.join(Arrays.asList("echo", null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void realShellGivesBackExactlyTheArguments() throws Exception {
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(AWKWARD);
        String line = ShellQuoting.join(argv);

        List<String> received = shellArgs(line);

        assertThat(received).containsExactlyElementsOf(AWKWARD);
    }

    @Test
    void realShellRunsProgramNamedLikeAssignmentAsProgram() throws Exception {
        assertThat(shellArgs(ShellQuoting.join(List.of("printf", "%s\\0", "A=b")))).containsExactly("A=b");
        // quoted, 'A=b' is looked up as a program (and not found), not taken as an assignment
        Process p = new ProcessBuilder("/bin/sh", "-c", ShellQuoting.join(List.of("A=b", "true")))
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(127);
    }

    /** Runs the line through /bin/sh -c and splits printf's NUL-terminated output. */
    private static List<String> shellArgs(String line) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", line).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\0");
        return Arrays.asList(text.substring(0, text.length() - 1).split("\0", -1));
    }
}
