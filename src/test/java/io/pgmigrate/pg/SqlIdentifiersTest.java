package io.pgmigrate.pg;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Literals and identifiers read back by a model of PostgreSQL's lexer (scan.l) under both values of
 * {@code standard_conforming_strings}: every value comes back exactly and the quoted text ends where it should, so
 * nothing after it can be reached from inside.
 */
class SqlIdentifiersTest {
    /** Characters that mean something to the lexer, control characters, and some beyond ASCII. */
    private static final String NASTY = "'\"\\\n\r\t\b\f\u0001\u001b\u007fEeUu&x0a1;-/* é€😀\u2028\u0085";

    @Test
    void plainValuesAreStandardConformingLiterals() {
        assertThat(SqlIdentifiers.literal("it's")).isEqualTo("'it''s'");
        assertThat(SqlIdentifiers.literal("")).isEqualTo("''");
        assertThat(SqlIdentifiers.literal("naïve 😀")).isEqualTo("'naïve 😀'");
        assertThat(SqlIdentifiers.literal("''")).isEqualTo("''''''");
    }

    @Test
    void backslashesAndControlCharactersMakeAnEscapeString() {
        assertThat(SqlIdentifiers.literal("a\\b")).isEqualTo("E'a\\\\b'");
        assertThat(SqlIdentifiers.literal("\\'; DROP TABLE t; --")).isEqualTo("E'\\\\''; DROP TABLE t; --'");
        assertThat(SqlIdentifiers.literal("line1\nline2\r\t")).isEqualTo("E'line1\\nline2\\r\\t'");
        assertThat(SqlIdentifiers.literal("\b\f\u0001\u007f")).isEqualTo("E'\\b\\f\\x01\\x7F'");
        // a hex escape takes at most two digits: the next character stays itself
        assertThat(SqlIdentifiers.literal("\u0001a")).isEqualTo("E'\\x01a'");
        assertThat(SqlIdentifiers.literal("x\ny")).doesNotContain("\n");
    }

    @Test
    void nulIsRefused() {
        assertThatThrownBy(() -> SqlIdentifiers.literal("a\0b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
        assertThatThrownBy(() -> SqlIdentifiers.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void identifiersWithControlCharactersUseUnicodeEscapes() {
        assertThat(SqlIdentifiers.quote("my \"table\"")).isEqualTo("\"my \"\"table\"\"\"");
        assertThat(SqlIdentifiers.quote("a\\b")).isEqualTo("\"a\\b\"");
        assertThat(SqlIdentifiers.quote("a\nb\\c\"d")).isEqualTo("U&\"a\\000Ab\\\\c\"\"d\"");
        assertThat(SqlIdentifiers.quote("x\ny")).doesNotContain("\n");
    }

    @Test
    void everyValueReadsBackExactlyUnderEitherSetting() {
        Random random = new Random(12);
        List<String> values = new ArrayList<>(List.of("", "'", "\\", "\\'", "'\\", "\\\\'", "E'", "''\\''",
                "\\x41", "\\u0041", "\\101", "a\nb", "😀\\", "x'||pg_sleep(1)||'", "\\'; CREATE ROLE pwned SUPERUSER; --"));
        for (int n = 0; n < 5000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(12);
            for (int i = 0; i < len; i++) {
                sb.appendCodePoint(NASTY.codePointAt(NASTY.offsetByCodePoints(0, random.nextInt(NASTY.codePointCount(0,
                        NASTY.length())))));
            }
            values.add(sb.toString());
        }
        for (String v : values) {
            String lit = SqlIdentifiers.literal(v);
            for (boolean standard : new boolean[] {true, false}) {
                Lexed read = readLiteral(lit + " tail", standard);
                assertThat(read.value()).as("%s read with standard_conforming_strings=%s", lit, standard).isEqualTo(v);
                assertThat(read.end()).as("%s ends where it should", lit).isEqualTo(lit.length());
            }
            String id = SqlIdentifiers.quote(v);
            Lexed ident = readIdentifier(id + " tail");
            assertThat(ident.value()).as(id).isEqualTo(v);
            assertThat(ident.end()).isEqualTo(id.length());
        }
    }

    private record Lexed(String value, int end) {
    }

    /** A string constant as scan.l reads it: 'standard', or E'escape' (and 'escape' when not standard). */
    private static Lexed readLiteral(String text, boolean standardConformingStrings) {
        int i;
        boolean escapes;
        if (text.startsWith("E'") || text.startsWith("e'")) {
            i = 2;
            escapes = true;
        } else {
            assertThat(text).startsWith("'");
            i = 1;
            escapes = !standardConformingStrings;
        }
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = text.charAt(i);
            if (c == '\'') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                    out.append('\'');
                    i += 2;
                    continue;
                }
                return new Lexed(out.toString(), i + 1);
            }
            if (c == '\\' && escapes) {
                char e = text.charAt(i + 1);
                i += 2;
                switch (e) {
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'x' -> {
                        int start = i;
                        while (i < start + 2 && Character.digit(text.charAt(i), 16) >= 0) {
                            i++;
                        }
                        out.append((char) Integer.parseInt(text.substring(start, i), 16));
                    }
                    case 'u' -> {
                        out.append((char) Integer.parseInt(text.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> {
                        if (e >= '0' && e <= '7') {
                            int start = i - 1;
                            while (i < start + 3 && text.charAt(i) >= '0' && text.charAt(i) <= '7') {
                                i++;
                            }
                            out.append((char) Integer.parseInt(text.substring(start, i), 8));
                        } else {
                            out.append(e);
                        }
                    }
                }
                continue;
            }
            out.append(c);
            i++;
        }
    }

    /** A quoted identifier: "…" with doubled quotes, or U&"…" with \XXXX (and \\) escapes. */
    private static Lexed readIdentifier(String text) {
        boolean unicode = text.startsWith("U&\"");
        int i = unicode ? 3 : 1;
        assertThat(text.charAt(i - 1)).isEqualTo('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = text.charAt(i);
            if (c == '"') {
                if (text.charAt(i + 1) == '"') {
                    out.append('"');
                    i += 2;
                    continue;
                }
                return new Lexed(out.toString(), i + 1);
            }
            if (c == '\\' && unicode) {
                if (text.charAt(i + 1) == '\\') {
                    out.append('\\');
                    i += 2;
                } else {
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                    i += 5;
                }
                continue;
            }
            out.append(c);
            i++;
        }
    }
}
