package io.pgmigrate.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes what could be a secret from text that goes to a journal, a log or the console: SQL's {@code PASSWORD '…'}
 * (any case, {@code ENCRYPTED PASSWORD}, {@code E'…'}, dollar quoting), {@code password=…} and friends with quoted or
 * bare values (libpq connection strings, environment, YAML and JSON), and the password of a URL's userinfo. Where a
 * quoted value does not end, everything to the end of the line goes: removing too much is the safe side.
 */
public final class Redact {
    /** A string constant as SQL writes it: E'…' (backslash escapes), '…' (read as if backslashes escaped too), $tag$…$tag$, "…". */
    private static final String SQL_STRING = "[Ee]'(?:[^'\\\\]|\\\\.|'')*'|'(?:[^'\\\\]|\\\\.|'')*'"
            + "|\\$([A-Za-z_][A-Za-z_0-9]*)?\\$.*?\\$\\1\\$|\"(?:[^\"]|\"\")*\"";
    /** A quote that does not end on its line. */
    private static final String UNTERMINATED = "(?:[Ee]?'|\\$[A-Za-z_0-9]*\\$|\")[^\\n]*";
    private static final Pattern SQL_PASSWORD = Pattern.compile(
            "(?is)\\b((?:ENCRYPTED\\s+|UNENCRYPTED\\s+)?PASSWORD\\s+)(?:" + SQL_STRING + "|" + UNTERMINATED + ")");
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)([A-Za-z0-9_.-]*(?:password|passwd|passphrase|secret|token|api_?key)[A-Za-z0-9_.-]*)([\"']?\\s*[=:]\\s*)"
                    + "(?:'(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"|['\"][^\\n]*|\\S+)");
    private static final Pattern URI_PASSWORD = Pattern.compile("(://[^:/@\\s]+:)\\S*@");

    private Redact() {
    }

    public static String secrets(String text) {
        if (text == null) {
            return null;
        }
        String out = replace(SQL_PASSWORD, text, "$1'***'");
        out = replace(KEY_VALUE, out, "$1$2***");
        return replace(URI_PASSWORD, out, "$1***@");
    }

    private static String replace(Pattern p, String text, String with) {
        Matcher m = p.matcher(text);
        return m.find() ? m.replaceAll(with) : text;
    }
}
