package io.pgmigrate.inspect;

import io.pgmigrate.facts.HostFacts;
import io.pgmigrate.facts.TargetFacts;

import io.pgmigrate.inventory.Inventory.TargetCluster;
import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.TransportException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads what the target binaries offer on the host that will run them: program versions, build options,
 * extensions (control files and scripts), loadable modules, and the target data directory. Read-only.
 */
final class TargetBinariesReader {
    private final String key;

    private final HostCommands host;
    private final TargetCluster target;

    TargetBinariesReader(HostCommands host, TargetCluster target) {
        this(host, target, "target.binDir");
    }

    /** @param key the inventory key that names the binaries, for messages */
    TargetBinariesReader(HostCommands host, TargetCluster target, String key) {
        this.key = key;
        this.host = host;
        this.target = target;
    }

    TargetFacts read() {
        String bin = target.binDir().toString();
        PgVersion postgres = Versions.ofProgram(host, key, bin, "postgres");
        PgVersion pgUpgrade = Versions.ofProgram(host, key, bin, "pg_upgrade");
        PgVersion initdb = Versions.ofProgram(host, key, bin, "initdb");
        List<String> configure = splitConfigure(host.pgProgram(key, bin, "pg_config", "--configure"));
        String[] dirs = host.pgProgram(key, bin, "pg_config", "--sharedir", "--pkglibdir").strip().split("\n");
        if (dirs.length != 2) {
            throw new TransportException("unexpected output of '" + bin + "/pg_config --sharedir --pkglibdir' on "
                    + host.host() + ": " + String.join(" | ", dirs));
        }
        String shareDir = dirs[0].strip();
        String pkgLibDir = dirs[1].strip();
        ExtensionFiles ext = extensionFiles(shareDir + "/extension");
        List<String> libraries = lines(host.output("ls", "-1", "--", pkgLibDir));
        HostFacts dataDir = new HostFactsReader(host).read(target.dataDir().toString());
        return new TargetFacts(bin, postgres, pgUpgrade, initdb, configure, ext.versions(), ext.defaultVersions(),
                libraries, dataDir, shareDir, pkgLibDir, ext.updates());
    }

    private ExtensionFiles extensionFiles(String dir) {
        List<String> names = lines(host.output("ls", "-1", "--", dir));
        CommandResult grep = host.run("grep", "-r", "-H", "-E", "--include=*.control",
                "^[[:space:]]*default_version[[:space:]]*=", "--", dir);
        if (grep.exitCode() > 1) {
            throw new TransportException("cannot read the control files in " + dir + " on " + host.host() + ": "
                    + grep.lastErrorLine());
        }
        return ExtensionFiles.parse(names, lines(grep.stdout()));
    }

    private static List<String> lines(String out) {
        return Arrays.stream(out.split("\n")).map(String::strip).filter(l -> !l.isEmpty()).sorted().toList();
    }

    /** {@code pg_config --configure} prints {@code '--with-icu' 'CFLAGS=-g -O2'}: single-quoted options. */
    static List<String> splitConfigure(String out) {
        List<String> options = new ArrayList<>();
        String s = out.strip();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                end = end < 0 ? s.length() : end;
                options.add(s.substring(i + 1, end));
                i = end + 1;
            } else {
                int end = i;
                while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
                    end++;
                }
                options.add(s.substring(i, end));
                i = end;
            }
        }
        return List.copyOf(options);
    }
}
