package io.pgmigrate.core;

import java.util.Locale;

/** Byte counts as a DBA reads them: 1.5 GiB. */
public final class Bytes {
    public static final long KIB = 1024;
    public static final long MIB = KIB * 1024;
    public static final long GIB = MIB * 1024;
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Bytes() {
    }

    public static String human(long bytes) {
        if (bytes < KIB) {
            return bytes + " B";
        }
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        String number = String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v);
        return (number.endsWith(".0") ? number.substring(0, number.length() - 2) : number) + " " + UNITS[u];
    }
}
