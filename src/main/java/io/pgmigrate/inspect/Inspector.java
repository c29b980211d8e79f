package io.pgmigrate.inspect;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.facts.PatroniFacts;
import io.pgmigrate.facts.StandbyFacts;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.facts.TargetFacts;

import io.pgmigrate.check.PreChecks;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.HostShell;

import java.util.List;
import java.util.Map;

/**
 * Gathers everything the planner and the pre-checks need, read-only: the source over SQL and on its host,
 * the target binaries and data directory on the target host, then the pre-checks' SQL probes.
 *
 * <p>Failures are one-line exceptions: {@code TransportException} naming the host or server and the program
 * or query, or {@code PgMigrateException(BAD_INPUT)} when the inventory does not point at what it claims
 * (a source.dataDir that is not a data directory, a binDir without the PostgreSQL programs, target binaries of
 * another version than target.version) or names a pair pgmigrate does not upgrade ({@link SupportedPair}).
 */
public final class Inspector {

    /**
     * @param source     the source cluster: SQL sessions and a shell on its host
     * @param targetHost a shell on the host that will run the target binaries (the source host for pg-upgrade)
     */
    public ClusterFacts inspect(Inventory inv, ClusterAccess source, HostShell targetHost) {
        return inspect(inv, source, targetHost, s -> {
            throw new IllegalStateException("no way to the standby " + s.name() + " was given");
        });
    }

    /**
     * As {@link #inspect(Inventory, ClusterAccess, HostShell)}, and every standby the inventory lists, each reached
     * through {@code standbys}, and the Patroni cluster of {@code ha.patroni} over its REST APIs (issue #15).
     */
    public ClusterFacts inspect(Inventory inv, ClusterAccess source, HostShell targetHost,
                                java.util.function.Function<Inventory.Standby, ClusterAccess> standbys) {
        return inspect(inv, source, targetHost, standbys, g -> {
            throw new IllegalStateException("no way to green's standby " + g.name() + " was given");
        });
    }

    /** As above, and each of green's standbys' hosts ({@code target.standbys}, blue/green), through {@code green}. */
    public ClusterFacts inspect(Inventory inv, ClusterAccess source, HostShell targetHost,
                                java.util.function.Function<Inventory.Standby, ClusterAccess> standbys,
                                java.util.function.Function<Inventory.GreenStandby, HostShell> greenStandbys) {
        SqlFacts sql = new SourceSqlReader(source, version -> SupportedPair.requireSource(inv, version)).read();
        SourceHostReader.SourceHost host = new SourceHostReader(new HostCommands(source.shell()), inv.source())
                .read(sql, inv.strategy() == Strategy.LOGICAL);
        TargetFacts target = new TargetBinariesReader(new HostCommands(targetHost), inv.target()).read();
        SupportedPair.requireTarget(inv, sql.version(), target);
        Map<String, List<ProbeRow>> probes = probes(inv, source, sql);
        SourceFacts facts = new SourceFacts(sql.version(), host.binariesVersion(), sql.systemIdentifier(),
                sql.dataChecksums(), sql.dataDirectory(), sql.configFile(), sql.hbaFile(), sql.connectedUser(),
                sql.superuser(), sql.bootstrapSuperuser(), sql.databases(), host.tablespaces(), sql.slots(),
                sql.standbys(), sql.prepared(), sql.settings(), sql.nonDefaultSettings(),
                host.controlData(), host.dataDir(), probes, sql.inRecovery(), host.serverDataDirRealPath(),
                host.walDir(), sql.settingsNotRecorded(), host.haManagers());
        PatroniInspector.Reading patroni = null;
        if (inv.ha() != null) {
            // before the standbys: a REST API of another cluster is bad input before they are read, and after
            // a switchover the standbys follow another primary (the patroni-leader blocker says so; they are not read)
            List<String> sourceAddresses = StandbyInspector.addresses(new HostCommands(source.shell()));
            patroni = new PatroniInspector(inv, sql.systemIdentifier(), PatroniInspector.Api.rest(), MemberHosts.dns())
                    .read(sourceAddresses);
        }
        List<StandbyFacts> standbyFacts = List.of();
        if (!inv.standbys().isEmpty() && (patroni == null || !patroni.leaderElsewhere())) {
            List<StandbyInspector.SenderRow> senders;
            try (SqlSession s = source.connect(source.maintenanceDatabase())) {
                ProbeRunner.readOnly(s);
                senders = StandbyInspector.senders(s);
            }
            standbyFacts = new StandbyInspector(inv, sql.systemIdentifier(), new HostCommands(source.shell())).read(senders, standbys);
        }
        PatroniFacts patroniFacts = patroni == null ? null : patroni.facts(standbyFacts);
        List<io.pgmigrate.facts.GreenStandbyFacts> green = inv.target().standbys().isEmpty() ? List.of()
                : new GreenStandbyInspector(inv).read(greenStandbys);
        return new ClusterFacts(facts, target, null, standbyFacts, patroniFacts, green);
    }

    /** The pre-checks' probes need to read every catalog: only a superuser can (the superuser check says so). */
    private static Map<String, List<ProbeRow>> probes(Inventory inv, ClusterAccess source, SqlFacts sql) {
        if (!sql.superuser()) {
            return Map.of();
        }
        UpgradePath path = new UpgradePath(sql.version().major(), inv.target().version(), inv.options().mode());
        List<Probe> probes = PreChecks.probes(inv.strategy(), path);
        if (probes.isEmpty()) {
            return Map.of();
        }
        return ProbeRunner.run(probes, sql.connectableDatabases(), source.maintenanceDatabase(), source::connect);
    }
}
