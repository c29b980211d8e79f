package io.pgmigrate.execute;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.Events;
import io.pgmigrate.testing.InPlaceUpgrade;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A cluster started with {@code pg_ctl -o '-p PORT -c listen_addresses=… -c unix_socket_directories=…'}, whose
 * postgresql.conf says another port: after a failure before the point of no return (--link, the port taken while it
 * was down, so the new cluster never started), the rollback starts it again with the options it ran with, and says it
 * serves only once it answers on that port and address.
 */
class RollbackOptionsIT {
    @TempDir
    Path dir;

    @Test
    void theRollbackStartsTheOldClusterWithTheOptionsItRanWith() throws Exception {
        try (PgCluster pg = PgCluster.create(15, PgCluster.Init.defaults())) {
            int confPort = pg.port();
            int port = PgCluster.freePort();
            Path sockets = pg.root().resolve("sockets");
            Files.createDirectories(sockets);
            OsUser.chownToOwner(sockets);
            pg.startServer(port, "-c listen_addresses=127.0.0.1 -c unix_socket_directories=" + sockets);
            assertThat(Files.readString(pg.dataDir().resolve("postgresql.conf"))).contains("port = " + confPort);
            InPlaceUpgrade.seed(pg);
            InPlaceUpgrade up = InPlaceUpgrade.plan(dir, "options", pg, InPlaceUpgrade.Options.link());

            CliRun run;
            try (PortSquatter squatter = PortSquatter.when(up.journal(), port, Events.started("outage.pg-upgrade"),
                    Events.failed("outage.start-new"))) {
                run = up.execute();
                assertThat(squatter.held()).as("the port was taken while the cluster was down").isTrue();
            }
            assertThat(run.exitCode()).as(run.out()).isEqualTo(4);
            assertThat(run.out()).contains("outage.start-new failed before it crossed the point of no return");
            String options = "\"-p\" \"" + port + "\" \"-c\" \"listen_addresses=127.0.0.1\" \"-c\""
                    + " \"unix_socket_directories=" + sockets + "\"";
            assertThat(InPlaceUpgrade.summary(run)).contains("Rolled back: ",
                    "renamed global/pg_control.old back to global/pg_control",
                    "started the old cluster with the options it ran with (", options,
                    "checked that the old cluster answers at 127.0.0.1:" + port + " (PostgreSQL 15",
                    "the old cluster serves as before");

            // it serves where it did: on the port and address of its command line, its socket where that said
            assertThat(InPlaceUpgrade.serverMajor(port)).isEqualTo(15);
            assertThat(sockets.resolve(".s.PGSQL." + port)).exists();
            assertThat(Files.readString(pg.dataDir().resolve("postmaster.opts"))).contains(options);
            assertThatThrownBy(() -> connect(confPort)).as("nothing on the port postgresql.conf says")
                    .isInstanceOf(IOException.class);
            OsUser.Result psql = OsUser.runAsOwner(List.of(pg.binDir().resolve("psql").toString(), "-h",
                    sockets.toString(), "-p", String.valueOf(port), "-U", "postgres", "-d", "shop", "-Atc",
                    "SELECT count(*) FROM ledger"), false);
            assertThat(psql.output().strip()).isEqualTo("1000");
        }
    }

    private static void connect(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        }
    }
}
