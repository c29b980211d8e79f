package io.pgmigrate.transport;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns argument lists into one POSIX shell command line, for hosts reached over SSH (where sshd
 * hands the line to the login shell). Every argument comes back out of {@code sh -c} exactly as
 * it went in: words made only of harmless characters stay bare, everything else is put in single
 * quotes, and a single quote inside becomes {@code '\''}.
 */
public final class ShellQuoting {
    /** Characters that no POSIX shell treats specially anywhere in a word. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    /** Words a shell reads as syntax when they come first on a line. */
    private static final Set<String> RESERVED = Set.of("!", "{", "}", "case", "do", "done", "elif", "else",
            "esac", "fi", "for", "if", "in", "then", "until", "while", "function", "select", "time", "coproc");

    private ShellQuoting() {
    }

    /** One argument as a shell word: bare when safe, otherwise in single quotes; the empty string is {@code ''}. */
    public static String quote(String arg) {
        checkArgument(arg);
        if (SAFE.matcher(arg).matches()) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /**
     * The whole argument list as one command line. The program name is also quoted when a shell
     * would otherwise read it as a variable assignment ({@code A=b}) or a reserved word.
     */
    public static String join(List<String> argv) {
        if (argv == null || argv.isEmpty()) {
            throw new IllegalArgumentException("empty command: nothing to run");
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (i > 0) {
                line.append(' ');
            }
            if (i == 0) {
                checkArgument(arg);
                boolean bareWouldMislead = arg.indexOf('=') >= 0 || RESERVED.contains(arg);
                line.append(bareWouldMislead ? "'" + arg.replace("'", "'\\''") + "'" : quote(arg));
            } else {
                line.append(quote(arg));
            }
        }
        return line.toString();
    }

    private static void checkArgument(String arg) {
        if (arg == null) {
            throw new IllegalArgumentException("null argument in a command line");
        }
        if (arg.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an argument contains a NUL byte, which no program can receive");
        }
    }
}
