package io.pgmigrate.cli;

import io.pgmigrate.app.DemoService;
import io.pgmigrate.demo.DemoTransport;
import io.pgmigrate.transport.TransportOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code pgmigrate demo}: a complete upgrade of a throw-away PostgreSQL 15 cluster to 18. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Create a throw-away PostgreSQL 15 cluster with data, write its inventory, run plan, execute (to 18,"
                + " over SSH to 127.0.0.1 when that works, else locally) and status, and print the outcome and the"
                + " measured outage. Needs scripts/toolchain.sh to have run. A second run replaces the previous demo.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Option(names = "--dir", defaultValue = "/tmp/pgmigrate-demo",
            description = "Directory of the demo's clusters, inventory and plans (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--mode", defaultValue = "swap",
            description = "pg_upgrade's transfer mode: swap, link, clone or copy (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--scale", defaultValue = "5",
            description = "pgbench's scale factor: 100,000 accounts each; the demo's own tables grow with it (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--stop", description = "Stop the demo's servers and remove its directory.")
    boolean stop;

    @Override
    public Integer call() {
        DemoService service = new DemoService(Clock.systemUTC(), System.getenv());
        TransportOptions transport = TransportOptions.defaults().withAcceptNewHostKey(global.acceptNewHostKey);
        PrintWriter out = spec.commandLine().getOut();
        DemoService.Outcome outcome = stop
                ? service.stop(dir, transport)
                : service.run(new DemoService.Request(dir, mode, scale, transport, DemoTransport.SshTarget.defaults()), out);
        outcome.lines().forEach(out::println);
        out.flush();
        return outcome.exitCode().code();
    }
}
