package io.pgmigrate.inspect;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.facts.GreenStandbyFacts;
import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.TransportException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads each of green's standbys' hosts (blue/green, issue #15): its binaries and where its copy of green goes. A host
 * that cannot be reached is bad input naming the entry, before anything is touched.
 */
final class GreenStandbyInspector {
    private final Inventory inv;

    GreenStandbyInspector(Inventory inv) {
        this.inv = inv;
    }

    List<GreenStandbyFacts> read(Function<Inventory.GreenStandby, HostShell> shells) {
        List<GreenStandbyFacts> out = new ArrayList<>();
        List<Inventory.GreenStandby> list = inv.target().standbys();
        for (int i = 0; i < list.size(); i++) {
            Inventory.GreenStandby s = list.get(i);
            String entry = "target.standbys[" + i + "] (" + s.name() + ")";
            try {
                HostCommands host = new HostCommands(shells.apply(s));
                String bin = s.binDir().toString();
                PgVersion postgres = Versions.ofProgram(host, entry + ".binDir", bin, "postgres");
                PgVersion basebackup = Versions.ofProgram(host, entry + ".binDir", bin, "pg_basebackup");
                out.add(new GreenStandbyFacts(s.name(), postgres, basebackup,
                        new HostFactsReader(host).read(s.dataDir().toString())));
            } catch (TransportException e) {
                throw new PgMigrateException(ExitCode.BAD_INPUT, inv.file() + ": " + entry + ": cannot be read: "
                        + e.getMessage() + "; check its host, ssh and become keys");
            }
        }
        return List.copyOf(out);
    }
}
