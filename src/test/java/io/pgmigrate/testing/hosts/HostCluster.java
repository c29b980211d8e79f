package io.pgmigrate.testing.hosts;

import io.pgmigrate.testing.Toolchain;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A PostgreSQL cluster on a {@link TestHost}, run by its postgres OS user, listening on every address of the host.
 * Authentication as a DBA would set it up between database hosts: the role {@code postgres} has a password, other
 * hosts of the network must give it ({@code scram-sha-256}), and each host's postgres OS user has it in its
 * {@code ~/.pgpass} (0600), which is where green's server finds it when it subscribes to blue. Loopback (what
 * pgmigrate's SSH tunnel reaches) and the controller's own address are trusted, so the test's JDBC needs none.
 */
public final class HostCluster {
    /** The postgres role's password on every test host: the tests' own, a stand-in for a DBA's secret. */
    public static final String PASSWORD = "host-net-secret";

    private final TestHost host;
    private final int major;
    private final String dataDir;
    private final int port;

    private HostCluster(TestHost host, int major, String dataDir, int port) {
        this.host = host;
        this.major = major;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** initdb (checksums off, C.UTF-8) into {@code dataDir} on {@code host}, configured, not started. */
    public static HostCluster create(TestHost host, int major, String dataDir, int port) {
        HostCluster c = new HostCluster(host, major, dataDir, port);
        String parent = java.nio.file.Path.of(dataDir).getParent().toString();
        host.exec("install", "-d", "-o", "postgres", "-g", "postgres", "-m", "755", parent);
        host.exec("install", "-d", "-o", "postgres", "-g", "postgres", "-m", "700", dataDir);
        host.execAsPostgres(c.bin("initdb"), "-D", dataDir, "-U", "postgres", "--auth=trust", "--no-sync",
                "--locale=C.UTF-8", "--encoding=UTF8");
        c.appendConfig(List.of("listen_addresses = '*'", "port = " + port, "unix_socket_directories = '/tmp'",
                "password_encryption = 'scram-sha-256'", "fsync = off"));
        host.writeFile(dataDir + "/pg_hba.conf", String.join("\n",
                "local all all trust",
                "host all all 127.0.0.1/32 trust",
                "host all all " + host.controllerAddress() + "/32 trust",
                "host all all samenet scram-sha-256",
                "host replication all samenet scram-sha-256", ""), "600");
        givePassfile(host);
        return c;
    }

    /** The postgres OS user's ~/.pgpass on {@code host} (0600), with the role's password for every other host. */
    public static void givePassfile(TestHost host) {
        host.writeFile("/var/lib/postgresql/.pgpass", "*:*:*:postgres:" + PASSWORD + "\n", "600");
    }

    /** A cluster that is already on {@code host} (one pgmigrate made, say), to query or stop. */
    public static HostCluster at(TestHost host, int major, String dataDir, int port) {
        return new HostCluster(host, major, dataDir, port);
    }

    /** initdb, then start. */
    public static HostCluster start(TestHost host, int major, String dataDir, int port) {
        HostCluster c = create(host, major, dataDir, port);
        c.startServer();
        return c;
    }

    /**
     * A physical standby of {@code primary} on {@code host}: pg_basebackup over the network (the replication login
     * with the password from the host's passfile, {@code -R} for primary_conninfo), then started, streaming.
     */
    public static HostCluster standbyOf(HostCluster primary, TestHost host, String dataDir, int port) {
        return standbyOf(primary, host, dataDir, port, List.of());
    }

    /**
     * As {@link #standbyOf(HostCluster, TestHost, String, int)}, with more configuration lines (say
     * {@code cluster_name}, the application name its WAL receiver gives the primary).
     */
    public static HostCluster standbyOf(HostCluster primary, TestHost host, String dataDir, int port,
                                        List<String> config) {
        HostCluster c = new HostCluster(host, primary.major, dataDir, port);
        String parent = java.nio.file.Path.of(dataDir).getParent().toString();
        host.exec("install", "-d", "-o", "postgres", "-g", "postgres", "-m", "755", parent);
        givePassfile(host);
        host.execAsPostgres(c.bin("pg_basebackup"), "--pgdata=" + dataDir, "--host=" + primary.host.address(),
                "--port=" + primary.port, "--username=postgres", "--wal-method=stream", "--write-recovery-conf",
                "--checkpoint=fast", "--no-sync");
        List<String> lines = new ArrayList<>(List.of("port = " + port));
        lines.addAll(config);
        c.appendConfig(lines);
        host.execAsPostgres(c.bin("pg_ctl"), "start", "-D", dataDir, "-w", "-t", "60", "-l",
                "/var/lib/postgresql/pg-" + port + ".log");
        return c;
    }

    public void appendConfig(List<String> lines) {
        String b64 = java.util.Base64.getEncoder().encodeToString((String.join("\n", lines) + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        host.execAsPostgres("sh", "-c", "printf %s \"$2\" | base64 -d >> \"$1\"", "sh",
                dataDir + "/postgresql.conf", b64);
    }

    /** Starts the server and (again) gives the postgres role its password, which the other hosts must give. */
    public void startServer() {
        host.execAsPostgres(bin("pg_ctl"), "start", "-D", dataDir, "-w", "-t", "60", "-l",
                "/var/lib/postgresql/pg-" + port + ".log");
        sql("postgres", "ALTER ROLE postgres PASSWORD '" + PASSWORD + "'");
    }

    public void stopServer() {
        host.execAsPostgres(bin("pg_ctl"), "stop", "-D", dataDir, "-m", "fast", "-w");
    }

    public TestHost host() {
        return host;
    }

    public String dataDir() {
        return dataDir;
    }

    public String binDir() {
        return Toolchain.binDir(major).toString();
    }

    public int port() {
        return port;
    }

    public String url(String database) {
        return "jdbc:postgresql://" + host.address() + ":" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("preferQueryMode", "simple");
        return DriverManager.getConnection(url(database), p);
    }

    /** Runs each statement on {@code database}. */
    public void sql(String database, String... statements) {
        try (Connection c = connect(database); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(host.name() + ":" + port + "/" + database + ": " + e.getMessage(), e);
        }
    }

    public List<String> strings(String database, String query) {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(database); Statement st = c.createStatement(); ResultSet r = st.executeQuery(query)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(host.name() + ":" + port + "/" + database + ": " + e.getMessage(), e);
        }
        return out;
    }

    public long longValue(String database, String query) {
        return Long.parseLong(strings(database, query).get(0));
    }

    private String bin(String program) {
        return binDir() + "/" + program;
    }
}
