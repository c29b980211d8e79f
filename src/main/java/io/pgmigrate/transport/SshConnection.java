package io.pgmigrate.transport;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchAlgoNegoFailException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UnixDomainSocketFactory;
import io.pgmigrate.inventory.Inventory;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * One authenticated SSH connection to a host, shared by the commands ({@link SshShell}) and
 * port-forwards ({@link SshTunnel}) that go there. Public-key authentication only (the inventory's
 * {@code ssh.identity}, or ssh-agent when the key is passphrase-protected or none is named); the host
 * key must be in {@code ssh.knownHosts} ({@code StrictHostKeyChecking=yes}, or {@code accept-new}
 * when the user opted in). Connects on first use, sends keepalives every 15 seconds, and connects
 * again when the connection was lost or found broken: a command whose deadline passed while the host
 * did not answer, or a channel the host did not open in time, marks it broken ({@link #markBroken}), and the
 * next use disconnects it and opens a new TCP connection, without waiting for the keepalives to give up
 * on a frozen peer. Connects go through a {@link ConnectBreaker}: after three failures in a row, calls
 * fail at once for 30 seconds. Every failure is a {@link TransportException} with one line naming
 * user@host:port, the cause and what to do.
 */
public final class SshConnection implements AutoCloseable {
    /** ServerAliveInterval: a keepalive after this much silence; the connection is dropped after four unanswered. */
    static final int KEEPALIVE_MILLIS = 15_000;
    private static final int KEEPALIVE_COUNT_MAX = 4;
    /** Below OpenSSH's default MaxSessions (10): commands beyond this wait for a free channel. */
    private static final int MAX_PARALLEL_COMMANDS = 8;
    /**
     * How long the host may take to confirm a new channel (sshd answers in milliseconds unless it or the network
     * is frozen); bounded by the connect timeout too.
     */
    static final Duration CHANNEL_OPEN_LIMIT = Duration.ofSeconds(5);

    private final String user;
    private final String host;
    private final int port;
    private final Path identity;
    private final SshHostKeys hostKeys;
    private final TransportOptions options;
    private final Semaphore channels = new Semaphore(MAX_PARALLEL_COMMANDS, true);
    private final ConnectBreaker breaker;

    private Session session;
    private int generation;
    private boolean broken;
    private boolean closed;
    private Boolean hostHasTimeout;

    private SshConnection(String user, String host, int port, Path identity, Path knownHosts, TransportOptions options) {
        this.user = user;
        this.host = host;
        this.port = port;
        this.identity = identity;
        this.hostKeys = new SshHostKeys(knownHosts, options.acceptNewHostKey());
        this.options = options;
        this.breaker = new ConnectBreaker("SSH to " + describe(), connectFailurePrefix(), ConnectBreaker.OPEN_FOR);
    }

    /** A connection (not yet opened) to an SSH host of the inventory. Missing ssh settings take OpenSSH's defaults. */
    public static SshConnection to(Inventory.Host host, TransportOptions options) {
        if (host == null || host.isLocal()) {
            throw new IllegalArgumentException("not an SSH host: " + host);
        }
        Inventory.Ssh ssh = host.ssh();
        String user = ssh != null && ssh.user() != null ? ssh.user() : System.getProperty("user.name");
        int port = ssh != null && ssh.port() > 0 ? ssh.port() : 22;
        Path home = Path.of(System.getProperty("user.home"));
        Path knownHosts = ssh != null && ssh.knownHosts() != null ? ssh.knownHosts() : home.resolve(".ssh/known_hosts");
        Path identity = ssh != null ? ssh.identity() : null;
        return new SshConnection(user, host.address(), port, identity, knownHosts, options);
    }

    /** user@host:port, for messages. */
    public String describe() {
        return user + "@" + host + ":" + port;
    }

    public String user() {
        return user;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    TransportOptions options() {
        return options;
    }

    Semaphore channels() {
        return channels;
    }

    /** Opens the connection now (it is otherwise opened on first use); throws {@link TransportException} on failure. */
    public void open() {
        session();
    }

    /** The live session, connecting (again) when there is none or it was marked broken. */
    synchronized Session session() {
        return live().session();
    }

    /** The live session and its generation, taken together. */
    synchronized Live live() {
        if (closed) {
            throw new TransportException("SSH connection to " + describe() + " was already closed by pgmigrate");
        }
        if (session != null && session.isConnected() && !broken) {
            return new Live(session, generation);
        }
        if (session != null) {
            // a frozen peer: what still runs on it is lost anyway, and its forwards end with it
            session.disconnect();
            session = null;
        }
        broken = false;
        session = connect();
        generation++;
        return new Live(session, generation);
    }

    /** A session and the generation it belongs to (a forward made on an older generation must be made again). */
    record Live(Session session, int generation) {
    }

    /**
     * Marks the session broken: the host did not answer on it. The next use disconnects it and connects anew.
     * A session that is no longer the current one (another caller reconnected meanwhile) is left alone.
     */
    synchronized void markBroken(Session failed) {
        if (failed != null && failed == session) {
            broken = true;
        }
    }

    /** How long a channel may take to open: {@link #CHANNEL_OPEN_LIMIT}, or the connect timeout when shorter. */
    int channelOpenMillis() {
        return (int) Math.min(CHANNEL_OPEN_LIMIT.toMillis(), options.connectTimeout().toMillis());
    }

    /**
     * Whether the host still answers on this session: a channel is opened (and closed at once, no program run)
     * and the host either confirms or refuses it within the limit. False when the session is down or nothing came
     * back; the session is then marked broken.
     */
    boolean answers(Session s, Duration within) {
        if (!s.isConnected()) {
            markBroken(s);
            return false;
        }
        long start = System.nanoTime();
        com.jcraft.jsch.Channel probe = null;
        try {
            probe = s.openChannel("session");
            probe.connect((int) Math.max(1, within.toMillis()));
            return true;
        } catch (JSchException e) {
            // "channel is not opened." before the limit passed is the host's refusal (MaxSessions): an answer
            boolean answered = s.isConnected() && System.nanoTime() - start < within.toNanos()
                    && "channel is not opened.".equals(e.getMessage());
            if (!answered) {
                markBroken(s);
            }
            return answered;
        } finally {
            if (probe != null) {
                probe.disconnect();
            }
        }
    }

    /** Whether the host has GNU timeout, asked through the probe the first time only. */
    boolean hostHasTimeout(java.util.function.BooleanSupplier probe) {
        synchronized (this) {
            if (hostHasTimeout != null) {
                return hostHasTimeout;
            }
        }
        boolean answer = probe.getAsBoolean();
        synchronized (this) {
            hostHasTimeout = answer;
        }
        return answer;
    }

    /** Counts connections made so far; a forward made on an older one must be made again. */
    synchronized int generation() {
        return generation;
    }

    private String connectFailurePrefix() {
        return "cannot connect over SSH to " + describe() + ": ";
    }

    /** The identities (local files, the agent: not the host's fault, so not counted by the breaker), then the handshake. */
    private Session connect() {
        JSch jsch = new JSch();
        String agentNote = useIdentities(jsch);
        return breaker.connect(() -> handshake(jsch, agentNote));
    }

    private Session handshake(JSch jsch, String agentNote) {
        Session s;
        try {
            s = jsch.getSession(user, host, port);
        } catch (JSchException e) {
            throw new TransportException(connectFailurePrefix() + oneLine(e), e);
        }
        s.setHostKeyRepository(hostKeys);
        s.setConfig("StrictHostKeyChecking", "yes");
        s.setConfig("PreferredAuthentications", "publickey");
        s.setConfig("HashKnownHosts", "no");
        s.setConfig("enable_server_sig_algs", "yes");
        try {
            s.setServerAliveInterval(KEEPALIVE_MILLIS);
        } catch (JSchException e) {
            throw new IllegalStateException(e);
        }
        s.setServerAliveCountMax(KEEPALIVE_COUNT_MAX);
        hostKeys.forget();
        try {
            s.connect(timeoutMillis());
            return s;
        } catch (JSchException e) {
            s.disconnect();
            String refusal = hostKeys.refusal(describe(), host, port);
            throw new TransportException(refusal != null ? refusal : explain(e, agentNote), e);
        }
    }

    private int timeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis());
    }

    /** Loads the key file, or falls back to ssh-agent; returns a note for the auth-failure message. */
    private String useIdentities(JSch jsch) {
        if (identity != null) {
            if (!Files.isRegularFile(identity)) {
                throw new TransportException("SSH identity " + identity + " for " + describe()
                        + " does not exist (check ssh.identity in the inventory)");
            }
            if (!Files.isReadable(identity)) {
                throw new TransportException("SSH identity " + identity + " for " + describe()
                        + " is not readable by " + System.getProperty("user.name") + " (fix its owner or mode)");
            }
            if (!isEncrypted(jsch, identity)) {
                try {
                    jsch.addIdentity(identity.toString());
                } catch (JSchException e) {
                    throw new TransportException("cannot use SSH identity " + identity + " for " + describe() + ": "
                            + oneLine(e) + " (use an OpenSSH ed25519, ECDSA or RSA key)", e);
                }
                return "key " + identity;
            }
            if (useAgent(jsch)) {
                return "ssh-agent (" + identity + " is passphrase-protected)";
            }
            throw new TransportException("SSH identity " + identity + " for " + describe() + " is passphrase-protected"
                    + " and no ssh-agent is reachable: load it with ssh-add and run pgmigrate with SSH_AUTH_SOCK set");
        }
        if (useAgent(jsch)) {
            return "ssh-agent";
        }
        List<Path> defaults = new ArrayList<>();
        Path dir = Path.of(System.getProperty("user.home"), ".ssh");
        for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
            Path p = dir.resolve(name);
            if (Files.isReadable(p) && !isEncrypted(jsch, p)) {
                try {
                    jsch.addIdentity(p.toString());
                    defaults.add(p);
                } catch (JSchException e) {
                    // an unusable default key is skipped, as ssh does
                }
            }
        }
        if (defaults.isEmpty()) {
            throw new TransportException("no SSH identity for " + describe()
                    + ": set ssh.identity in the inventory, or start ssh-agent with the key loaded");
        }
        return "default keys " + defaults;
    }

    private static boolean isEncrypted(JSch jsch, Path key) {
        try {
            KeyPair kp = KeyPair.load(jsch, key.toString());
            try {
                return kp.isEncrypted();
            } finally {
                kp.dispose();
            }
        } catch (JSchException e) {
            throw new TransportException("cannot read SSH identity " + key + ": " + oneLine(e)
                    + " (use an OpenSSH private key file; check ssh.identity in the inventory)", e);
        }
    }

    private static boolean useAgent(JSch jsch) {
        String sock = System.getenv("SSH_AUTH_SOCK");
        if (sock == null || sock.isBlank() || !Files.exists(Path.of(sock))) {
            return false;
        }
        try {
            SSHAgentConnector agent = new SSHAgentConnector(new UnixDomainSocketFactory(), Path.of(sock));
            if (!agent.isAvailable()) {
                return false;
            }
            jsch.setIdentityRepository(new AgentIdentityRepository(agent));
            return true;
        } catch (AgentProxyException | RuntimeException e) {
            return false;
        }
    }

    /** One line: what failed on the way to the host and what to check. */
    private String explain(JSchException e, String identityNote) {
        String prefix = connectFailurePrefix();
        Throwable root = rootCause(e);
        if (root instanceof ConnectException) {
            return prefix + "connection refused (is sshd running there and listening on port " + port
                    + "? check the host address and ssh.port in the inventory)";
        }
        if (root instanceof UnknownHostException) {
            return prefix + "unknown host name '" + host + "' (check the host address in the inventory and DNS)";
        }
        if (root instanceof NoRouteToHostException) {
            return prefix + "no route to host (check the address, network and firewalls)";
        }
        if (root instanceof SocketTimeoutException || String.valueOf(e.getMessage()).contains("timeout")) {
            return prefix + "no answer within " + options.connectTimeout().toSeconds()
                    + "s (check the address, port and firewalls)";
        }
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Auth fail") || message.startsWith("Auth cancel") || message.startsWith("Partial auth")) {
            return prefix + "the server did not accept " + identityNote + " for user " + user
                    + " (add its public key to ~" + user + "/.ssh/authorized_keys on the host, or check ssh.user and ssh.identity)";
        }
        if (e instanceof JSchAlgoNegoFailException) {
            return prefix + "no key exchange, cipher or host key algorithm in common (" + oneLine(e) + ")";
        }
        if (message.contains("closed by foreign host") || root instanceof java.net.SocketException) {
            return prefix + "the other end closed the connection during the SSH handshake (is it an SSH server?"
                    + " check its sshd log: MaxStartups, AllowUsers, firewalls)";
        }
        return prefix + oneLine(e) + " (check that it is an SSH server and that its sshd accepts us; see its log)";
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.strip();
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl).strip() : m;
    }

    /** Disconnects; port-forwards made over it end too. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (session != null) {
            session.disconnect();
            session = null;
        }
    }
}
