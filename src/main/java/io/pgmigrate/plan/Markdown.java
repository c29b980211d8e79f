package io.pgmigrate.plan;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text from the clusters (object names, settings, messages) put into Markdown so that it reads as what it is: never
 * a heading, a list, a table cell's end, a link, an image or HTML, and never the end of the code around it. What a
 * reviewer reads in a plan or a report is then what runs. Control characters (a newline in a name) are shown as
 * escapes ({@code \n}, {@code \x07}), so that one value stays on its line.
 */
public final class Markdown {
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B-\\x1F\\x7F\\u0085\\u2028\\u2029]");
    private static final Pattern BACKTICKS = Pattern.compile("`+");
    /** An ordered list item's start: digits and a dot or parenthesis. */
    private static final Pattern ORDERED = Pattern.compile("(\\d{1,9})[.)]");

    private Markdown() {
    }

    /**
     * Prose that may carry names: one line; HTML, links and table cells disarmed, and a character that would start
     * a block at the beginning of a line escaped. Emphasis and code spans stay (they cannot hide or add text).
     */
    public static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        String one = oneLine(s);
        for (int i = 0; i < one.length(); i++) {
            char c = one.charAt(i);
            switch (c) {
                case '<', '&', '[', ']', '|', '\\' -> b.append('\\').append(c);
                default -> b.append(c);
            }
        }
        String out = b.toString();
        Matcher ordered = ORDERED.matcher(out);
        if (ordered.lookingAt()) {
            return ordered.group(1) + "\\" + out.substring(ordered.group(1).length());
        }
        return !out.isEmpty() && "#+-*=_~:>`".indexOf(out.charAt(0)) >= 0 ? "\\" + out : out;
    }

    /** A value as inline code, exactly as it is: a backtick inside cannot end it, a newline is shown as \n. */
    public static String code(String s) {
        String one = oneLine(s == null ? "" : s);
        String fence = "`".repeat(longestRun(one) + 1);
        boolean pad = one.startsWith("`") || one.endsWith("`") || (one.startsWith(" ") && one.endsWith(" ")
                && !one.isBlank());
        return fence + (pad ? " " + one + " " : one) + fence;
    }

    /** A table cell: inline code whose pipes cannot end the cell. */
    public static String cell(String s) {
        return code(s).replace("|", "\\|");
    }

    /**
     * A fenced block around content that may hold backticks: the fence is longer than any run of backticks in it, so
     * no line of the content can close it. Control characters other than newlines and tabs are shown as escapes.
     */
    public static String fenced(String info, String content) {
        String body = CONTROL.matcher(content).replaceAll(m -> Matcher.quoteReplacement(escape(m.group().charAt(0))));
        String fence = "`".repeat(Math.max(3, longestRun(body) + 1));
        return fence + (info == null ? "" : info) + "\n" + body + (body.endsWith("\n") ? "" : "\n") + fence + "\n";
    }

    /** Newlines, tabs and other control characters as visible escapes. */
    public static String oneLine(String s) {
        String visible = s.replace("\n", "\\n").replace("\t", "\\t");
        return CONTROL.matcher(visible).replaceAll(m -> Matcher.quoteReplacement(escape(m.group().charAt(0))));
    }

    private static String escape(char c) {
        return c <= 0xFF ? String.format("\\x%02X", (int) c) : String.format("\\u%04X", (int) c);
    }

    private static int longestRun(String s) {
        int longest = 0;
        Matcher m = BACKTICKS.matcher(s);
        while (m.find()) {
            longest = Math.max(longest, m.group().length());
        }
        return longest;
    }
}
