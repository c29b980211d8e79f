package io.pgmigrate.core;

import java.util.regex.Pattern;

/** Removes what could be a secret from text that goes to a journal, a log or the console. */
public final class Redact {
    private static final Pattern KEY_VALUE = Pattern.compile("(?i)(password|passwd|pgpassword|secret|token)(\\s*[=:]\\s*)\\S+");
    private static final Pattern URI_PASSWORD = Pattern.compile("(://[^:/@\\s]+:)[^@\\s]+@");

    private Redact() {
    }

    public static String secrets(String text) {
        if (text == null) {
            return null;
        }
        return URI_PASSWORD.matcher(KEY_VALUE.matcher(text).replaceAll("$1$2***")).replaceAll("$1***@");
    }
}
