package io.pgmigrate.check.catalog;

import java.util.Map;
import java.util.Optional;

/**
 * The Unicode version each PostgreSQL major is built with ({@code PG_UNICODE_VERSION} in
 * src/include/common/unicode_version.h, what {@code unicode_version()} returns). It changes only with a
 * major version. Add a line when a new major is supported; a target not listed makes the Unicode check
 * not applicable rather than guessed.
 */
final class UnicodeVersions {
    private static final Map<Integer, String> BY_MAJOR = Map.of(
            17, "15.1",
            18, "16.0");

    private UnicodeVersions() {
    }

    static Optional<String> of(int major) {
        return Optional.ofNullable(BY_MAJOR.get(major));
    }
}
