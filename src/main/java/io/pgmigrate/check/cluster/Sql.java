package io.pgmigrate.check.cluster;

import io.pgmigrate.pg.SqlIdentifiers;

import java.util.regex.Pattern;

/** SQL text for fixes: identifiers quoted only when they need it, as a DBA would type them. */
final class Sql {
    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

    private Sql() {
    }

    static String ident(String name) {
        return PLAIN.matcher(name).matches() ? name : SqlIdentifiers.quote(name);
    }

    static String literal(String value) {
        return SqlIdentifiers.literal(value);
    }
}
