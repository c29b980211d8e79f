package io.pgmigrate.execute;

import io.pgmigrate.journal.JournalEvent;

/** Who runs this pgmigrate: for the journal and the execution lock. */
public final class Controller {
    private Controller() {
    }

    public static JournalEvent.Controller current() {
        return new JournalEvent.Controller(host(), System.getProperty("user.name", "?"), ProcessHandle.current().pid());
    }

    /** This machine's name as it calls itself; never throws. */
    public static String host() {
        String env = System.getenv("HOSTNAME");
        try {
            String name = java.net.InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() ? (env == null ? "?" : env) : name;
        } catch (java.io.IOException | SecurityException e) {
            return env == null || env.isBlank() ? "?" : env;
        }
    }
}
