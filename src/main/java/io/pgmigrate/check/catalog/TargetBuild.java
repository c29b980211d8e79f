package io.pgmigrate.check.catalog;

import io.pgmigrate.check.CheckInput;

import java.util.List;

/**
 * What the target binaries were built with, from {@code pg_config --configure} (autoconf options such as
 * {@code '--with-icu'}, quotes or not; meson builds print {@code -Dicu=enabled}).
 */
final class TargetBuild {
    private TargetBuild() {
    }

    private static List<String> options(CheckInput input) {
        List<String> options = input.target() == null ? null : input.target().configureOptions();
        return options == null ? List.of() : options;
    }

    private static boolean has(List<String> options, String option) {
        return options.stream().map(o -> o.trim().replaceAll("^'|'$", "")).anyMatch(option::equals);
    }

    /** ICU: an explicit option decides; without one, configure enables ICU by default from 16 on. */
    static boolean hasIcu(CheckInput input) {
        List<String> options = options(input);
        if (has(options, "--without-icu") || has(options, "-Dicu=disabled")) {
            return false;
        }
        if (has(options, "--with-icu") || has(options, "-Dicu=enabled")) {
            return true;
        }
        return input.path().targetAtLeast(1600);
    }

    /** LZ4 is off unless asked for. */
    static boolean hasLz4(CheckInput input) {
        List<String> options = options(input);
        return has(options, "--with-lz4") || has(options, "-Dlz4=enabled");
    }
}
