package io.pgmigrate.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Normal forms of SQL text deparsed by the server, for telling a version's way of printing apart from a
 * change of meaning. String literals are never touched.
 */
final class SchemaDeparse {
    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

    private SchemaDeparse() {
    }

    /** Identifiers quoted only because they are key words in one version ("system_user") unquoted. */
    static String unquoted(String sql) {
        StringBuilder out = new StringBuilder();
        for (Token t : tokens(sql)) {
            out.append(t.type == Type.QUOTED && PLAIN.matcher(t.inner()).matches() ? t.inner() : t.text);
        }
        return out.toString();
    }

    /**
     * Also without any qualification: {@code customers.id} and {@code public.customers} become {@code id}
     * and {@code customers}. PostgreSQL 16 stopped qualifying column references in a query over a single
     * relation; this form is equal on both sides when that is all that changed.
     */
    static String unqualified(String sql) {
        List<Token> tokens = tokens(unquoted(sql));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            boolean qualifier = (t.type == Type.WORD || t.type == Type.QUOTED) && i + 2 < tokens.size()
                    && tokens.get(i + 1).text.equals(".")
                    && (tokens.get(i + 2).type == Type.WORD || tokens.get(i + 2).type == Type.QUOTED
                    || tokens.get(i + 2).text.equals("*"));
            if (qualifier) {
                i++;
            } else {
                out.append(t.text);
            }
        }
        return out.toString();
    }

    /**
     * Without {@code NO INDENT} before a closing parenthesis: PostgreSQL 16 added XMLSERIALIZE's INDENT
     * option and prints the default, {@code XMLSERIALIZE(CONTENT doc AS text NO INDENT)}, where 15 printed
     * {@code XMLSERIALIZE(CONTENT doc AS text)}; the two mean the same.
     */
    static String withoutNoIndent(String sql) {
        List<Token> tokens = tokens(sql);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            if (i + 3 < tokens.size() && tokens.get(i).text.equals(" ") && tokens.get(i + 1).text.equals("NO")
                    && tokens.get(i + 2).text.equals(" ") && tokens.get(i + 3).text.equals("INDENT")
                    && i + 4 < tokens.size() && tokens.get(i + 4).text.equals(")")) {
                i += 3;
            } else {
                out.append(tokens.get(i).text);
            }
        }
        return out.toString();
    }

    private enum Type { LITERAL, QUOTED, WORD, NUMBER, OTHER }

    private record Token(Type type, String text) {
        String inner() {
            return text.substring(1, text.length() - 1).replace("\"\"", "\"");
        }
    }

    /** Splits into string literals, quoted identifiers, words, numbers and single other characters. */
    private static List<Token> tokens(String sql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int end;
            Type type;
            if (c == '\'' || c == '"') {
                end = closing(sql, i, c);
                type = c == '\'' ? Type.LITERAL : Type.QUOTED;
            } else if (Character.isLetter(c) || c == '_') {
                end = i + 1;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_'
                        || sql.charAt(end) == '$')) {
                    end++;
                }
                type = Type.WORD;
            } else if (Character.isDigit(c)) {
                end = i + 1;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '.')) {
                    end++;
                }
                type = Type.NUMBER;
            } else {
                end = i + 1;
                type = Type.OTHER;
            }
            tokens.add(new Token(type, sql.substring(i, end)));
            i = end;
        }
        return tokens;
    }

    /** The index after the closing quote (a doubled quote is part of the text). */
    private static int closing(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }
}
