package io.pgmigrate.inspect;

import io.pgmigrate.facts.HostFacts;

import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.TransportException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link HostFacts} of one directory: existence, PG_VERSION, emptiness, real path, and, of the
 * directory or (when it does not exist yet) its nearest existing parent, device id, file system type and
 * free space. Read-only.
 */
final class HostFactsReader {
    /** {@code df -P -B1}: Filesystem, 1-blocks, Used, Available, Capacity, Mounted on (names may hold spaces). */
    private static final Pattern DF_LINE = Pattern.compile("^(.*?)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)\\s+(/.*)$");

    private final HostCommands host;

    HostFactsReader(HostCommands host) {
        this.host = host;
    }

    HostFacts read(String path) {
        boolean exists = host.test("-e", path);
        String pgVersion = null;
        boolean empty = true;
        String realPath = null;
        if (exists) {
            realPath = host.output("realpath", "-e", "--", path).strip();
            CommandResult v = host.run("cat", "--", path + "/PG_VERSION");
            pgVersion = v.ok() ? v.stdout().strip() : null;
            empty = host.output("ls", "-A", "--", path).isBlank();
        }
        String statPath = exists ? path : nearestExistingParent(path);
        String device = host.output("stat", "-c", "%d", "--", statPath).strip();
        String fsType = host.output("stat", "-f", "-c", "%T", "--", statPath).strip();
        long free = parseDfAvailable(host.output("df", "-P", "-B1", "--", statPath), host.host(), statPath);
        return new HostFacts(path, exists, pgVersion, device, fsType, free, empty, realPath, statPath);
    }

    private String nearestExistingParent(String path) {
        String p = path;
        while (true) {
            int slash = p.lastIndexOf('/');
            p = slash <= 0 ? "/" : p.substring(0, slash);
            if ("/".equals(p) || host.test("-e", p)) {
                return p;
            }
        }
    }

    /** The Available column of {@code df -P -B1}'s last line. */
    static long parseDfAvailable(String output, String hostName, String path) {
        String[] lines = output.strip().split("\n");
        Matcher m = DF_LINE.matcher(lines[lines.length - 1].strip());
        if (lines.length < 2 || !m.matches()) {
            throw new TransportException("cannot read free space of " + path + " on " + hostName
                    + " from 'df -P -B1': " + lines[lines.length - 1]);
        }
        return Long.parseLong(m.group(4));
    }
}
