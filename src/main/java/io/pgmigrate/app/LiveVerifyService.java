package io.pgmigrate.app;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.InventoryLoader;
import io.pgmigrate.inventory.TargetEndpoint;
import io.pgmigrate.plan.Action;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;
import io.pgmigrate.transport.TransportOptions;
import io.pgmigrate.transport.Transports;
import io.pgmigrate.verify.LiveVerification;
import io.pgmigrate.verify.Reports;
import io.pgmigrate.verify.Verification;
import io.pgmigrate.verify.VerificationReport;

import io.pgmigrate.pg.DataFingerprints;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;

/**
 * {@code pgmigrate verify --live}: the inventory's source (blue) and target (green), both running (strategy
 * logical), measured at the same time with the same machinery as a baseline and the new cluster, and
 * compared; differing data is narrowed down to rows by key on both. Writes NAME.verify-live.json/.md into
 * the output directory; exit 5 when a check failed.
 */
public final class LiveVerifyService {
    private final Clock clock;

    public LiveVerifyService(Clock clock) {
        this.clock = clock;
    }

    public record Request(Path inventory, Path output, TransportOptions transport) {
    }

    public VerifyService.Outcome verify(Request request, PrintWriter out) {
        Inventory inv = InventoryLoader.load(request.inventory());
        io.pgmigrate.transport.PgPassFile.requirePrivate();
        TargetEndpoint green = TargetEndpoint.of(inv);
        Inventory.Verify v = inv.options().verify();
        createDirectories(request.output());
        Path json = request.output().resolve(inv.name() + ".verify-live.json");
        Path markdown = request.output().resolve(inv.name() + ".verify-live.md");
        try (ClusterAccess source = Transports.clusterAccess(inv.source(), request.transport());
             ClusterAccess target = Transports.clusterAccess(green.host(), green.pg(), green.tunnel(),
                     request.transport())) {
            List<String> sourceDbs = databases(source, "source");
            List<String> targetDbs = databases(target, "target (green, port " + green.pg().port() + ")");
            int oldest = Math.min(major(source), major(target));
            boolean fingerprints = v.fingerprints() && DataFingerprints.available(oldest);
            if (v.fingerprints() && !fingerprints) {
                out.println("no data fingerprints: PostgreSQL " + oldest + " cannot compute them (they need "
                        + DataFingerprints.MIN_MAJOR + "); the data is compared by row counts only");
            }
            Verification verification = new Verification(new Verification.Settings(v.rowCounts(), v.statistics(),
                    fingerprints, inv.options().jobs(), inv.smokeQueries(), false, v.amcheck()), clock);
            out.println("measuring source (" + sourceDbs.size() + " databases) and target at the same time");
            VerificationReport report = LiveVerification.measureAndReport(verification, inv.name(), sourceDbs,
                    source::connect, line -> out.println("  source | " + line), targetDbs, target::connect,
                    line -> out.println("  target | " + line), all());
            Reports.write(json, markdown, report);
            report.checks().forEach(c -> out.println("  " + c.verdict() + " " + c.check() + ": " + c.summary()));
            report.checks().forEach(c -> c.problems().forEach(p -> out.println("    " + p)));
            report.checks().stream().filter(c -> c.check().equals("data fingerprints"))
                    .forEach(c -> c.notes().forEach(n -> out.println("    " + n)));
            return report.passed()
                    ? new VerifyService.Outcome(ExitCode.SUCCESS, "live verification passed; report " + markdown, markdown)
                    : new VerifyService.Outcome(ExitCode.VERIFICATION_FAILED, "live verification FAILED ("
                    + report.failed().size() + " check(s)); report " + markdown, markdown);
        }
    }

    /** The major version of the cluster's server. */
    private static int major(ClusterAccess cluster) {
        try (SqlSession s = cluster.connect(cluster.maintenanceDatabase())) {
            return Integer.parseInt(s.query("SELECT current_setting('server_version_num') AS v").get(0).get("v"))
                    / 10_000;
        }
    }

    private static EnumSet<Action.Verify.Scope> all() {
        return EnumSet.allOf(Action.Verify.Scope.class);
    }

    /** The cluster's databases, or one line saying which cluster cannot be reached. */
    private static List<String> databases(ClusterAccess cluster, String which) {
        try (SqlSession s = cluster.connect(cluster.maintenanceDatabase())) {
            return LiveVerification.databases(s);
        } catch (TransportException e) {
            throw new TransportException("the " + which + " cannot be reached: " + e.getMessage(), e);
        }
    }

    /** Created mode 0700 when missing; an existing one that its group or others can write is refused. */
    private static void createDirectories(Path dir) {
        io.pgmigrate.core.PrivateFiles.directory(dir, "the report directory", "give another one with -o (or chmod"
                + " go-w it)");
    }
}
