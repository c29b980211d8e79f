package io.pgmigrate.execute;

import io.pgmigrate.transport.HostShell;

import java.time.Duration;
import java.util.List;

/** Whether a postmaster runs on a data directory, as its host shows it. */
public final class Postmaster {
    private Postmaster() {
    }

    /** A postmaster.pid there, and {@code pg_ctl status} of those binaries says a server runs on it. */
    public static boolean runs(HostShell sh, String binDir, String dataDir, Duration timeout) {
        return sh.exists(dataDir + "/postmaster.pid", timeout)
                && sh.run(List.of(binDir + "/pg_ctl", "status", "-D", dataDir), timeout).ok();
    }
}
