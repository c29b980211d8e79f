package io.pgmigrate.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** pgmigrate's own version, as Maven wrote it into the jar. */
public final class ToolVersion {
    private ToolVersion() {
    }

    public static String current() {
        try (InputStream in = ToolVersion.class.getResourceAsStream("/io/pgmigrate/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
