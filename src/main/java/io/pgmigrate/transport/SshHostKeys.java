package io.pgmigrate.transport;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Host key verification against one known_hosts file, the way {@code StrictHostKeyChecking=yes}
 * (or {@code accept-new}) does it: a known key passes, an unknown key is refused (or, when the user
 * opted in, appended to the file), a changed or revoked key is always refused. The file is read
 * afresh on every check, so an entry added meanwhile (by us or by the user) counts. Hashed host
 * names and {@code [host]:port} entries are understood; host patterns with wildcards and certificate
 * authorities are not (such lines never make a key known); a key marked {@code @revoked} is refused.
 * Remembers what the host presented so that a refusal can be explained in one line.
 */
final class SshHostKeys implements HostKeyRepository {
    private static final System.Logger LOG = System.getLogger("io.pgmigrate.transport");

    /** What the check concluded about the key a host presented. */
    enum Verdict { KNOWN, ACCEPTED_NEW, UNKNOWN, OTHER_TYPES_KNOWN, CHANGED, REVOKED }

    /** The key a host presented and the verdict on it. */
    record Presented(String knownHostsName, String type, String fingerprint, Verdict verdict, Set<String> knownTypes) {
    }

    private final Path file;
    private final boolean acceptNew;
    private volatile Presented last;

    SshHostKeys(Path file, boolean acceptNew) {
        this.file = file;
        this.acceptNew = acceptNew;
    }

    Path file() {
        return file;
    }

    /** The last key checked, or null when the handshake never got that far. */
    Presented last() {
        return last;
    }

    void forget() {
        last = null;
    }

    @Override
    public int check(String host, byte[] key) {
        String type = keyType(key);
        String fingerprint = fingerprint(key);
        HostKeyRepository repository = load();
        HostKey[] entries = repository.getHostKey(host, null);
        Verdict verdict = isRevoked(repository.getHostKey(), key) ? Verdict.REVOKED : classify(entries, type, key);
        Set<String> knownTypes = new LinkedHashSet<>();
        for (HostKey e : entries) {
            if (e.getMarker().isEmpty()) {
                knownTypes.add(e.getType());
            }
        }
        if (verdict == Verdict.UNKNOWN && acceptNew) {
            append(host, type, key);
            verdict = Verdict.ACCEPTED_NEW;
            LOG.log(System.Logger.Level.INFO, "added {0} host key {1} of {2} to {3}", type, fingerprint, host, file);
        }
        last = new Presented(host, type, fingerprint, verdict, knownTypes);
        return switch (verdict) {
            case KNOWN, ACCEPTED_NEW -> OK;
            case UNKNOWN, OTHER_TYPES_KNOWN -> NOT_INCLUDED;
            case CHANGED, REVOKED -> CHANGED;
        };
    }

    /** A key marked @revoked is refused whatever host pattern the line names. */
    static boolean isRevoked(HostKey[] all, byte[] key) {
        for (HostKey e : all) {
            if ("@revoked".equals(e.getMarker()) && Arrays.equals(decode(e.getKey()), key)) {
                return true;
            }
        }
        return false;
    }

    /** Host entries (already matched to the host) against the presented key; marker lines do not count. */
    static Verdict classify(HostKey[] entries, String type, byte[] key) {
        boolean sameTypeKnown = false;
        boolean otherTypeKnown = false;
        for (HostKey e : entries) {
            boolean equal = Arrays.equals(decode(e.getKey()), key);
            if (e.getMarker().isEmpty()) {
                if (e.getType().equals(type)) {
                    if (equal) {
                        return Verdict.KNOWN;
                    }
                    sameTypeKnown = true;
                } else {
                    otherTypeKnown = true;
                }
            }
        }
        if (sameTypeKnown) {
            return Verdict.CHANGED;
        }
        return otherTypeKnown ? Verdict.OTHER_TYPES_KNOWN : Verdict.UNKNOWN;
    }

    /** The known_hosts file as JSch reads it (an absent file is an empty one). */
    private HostKeyRepository load() {
        JSch reader = new JSch();
        try {
            if (Files.exists(file)) {
                reader.setKnownHosts(file.toString());
            }
        } catch (JSchException e) {
            throw new TransportException("cannot read SSH known_hosts file " + file + ": " + e.getMessage()
                    + " (check ssh.knownHosts in the inventory)", e);
        }
        return reader.getHostKeyRepository();
    }

    private void append(String host, String type, byte[] key) {
        String line = host + " " + type + " " + Base64.getEncoder().encodeToString(key) + "\n";
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            if (Files.exists(file) && Files.size(file) > 0 && !endsWithNewline(file)) {
                line = "\n" + line;
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new TransportException("cannot add the host key of " + host + " to " + file + ": " + e.getMessage()
                    + " (make the file writable, or add the key with ssh-keyscan yourself)", e);
        }
    }

    private static boolean endsWithNewline(Path f) throws IOException {
        byte[] all = Files.readAllBytes(f);
        return all.length == 0 || all[all.length - 1] == '\n';
    }

    /** One line saying why the last key was refused and what to do, or null if it was not refused. */
    String refusal(String who, String hostName, int port) {
        Presented p = last;
        if (p == null) {
            return null;
        }
        String key = p.type() + " " + p.fingerprint();
        String entry = port == 22 ? hostName : "[" + hostName + "]:" + port;
        String keyscan = "ssh-keyscan" + (port == 22 ? "" : " -p " + port) + " -t " + keyscanType(p.type())
                + " " + hostName + " >> " + file;
        return switch (p.verdict()) {
            case KNOWN, ACCEPTED_NEW -> null;
            case UNKNOWN -> "SSH host key of " + who + " is not known: " + key + " is not in " + file
                    + "; verify this fingerprint with the host's administrator (ssh-keygen -lf on the host's key), then add it ("
                    + keyscan + ") or rerun with --accept-new-host-key";
            case OTHER_TYPES_KNOWN -> "SSH host key of " + who + " does not match " + file + ": it lists "
                    + String.join(", ", p.knownTypes()) + " for this host but the host now offers " + key
                    + "; refusing to connect; verify the new key with the host's administrator and add it ("
                    + keyscan + "); --accept-new-host-key does not cover this";
            case CHANGED -> "SSH host key of " + who + " has CHANGED: it now presents " + key + ", which does not match "
                    + file + "; refusing to connect (possible man-in-the-middle attack); if the host was rebuilt, verify"
                    + " the new fingerprint with its administrator, remove the old entry (ssh-keygen -R '" + entry
                    + "' -f " + file + ") and add the new one; --accept-new-host-key never replaces a changed key";
            case REVOKED -> "SSH host key of " + who + " (" + key + ") is marked @revoked in " + file
                    + "; refusing to connect; ask the host's administrator for its current key";
        };
    }

    private static String keyscanType(String type) {
        if (type.startsWith("ecdsa-")) {
            return "ecdsa";
        }
        return switch (type) {
            case "ssh-ed25519" -> "ed25519";
            case "ssh-rsa" -> "rsa";
            case "ssh-dss" -> "dsa";
            default -> type;
        };
    }

    /** The key type named at the start of an SSH public key blob (e.g. ssh-ed25519). */
    static String keyType(byte[] blob) {
        try {
            ByteBuffer b = ByteBuffer.wrap(blob);
            int len = b.getInt();
            if (len <= 0 || len > 64 || len > b.remaining()) {
                return "unknown";
            }
            byte[] name = new byte[len];
            b.get(name);
            return new String(name, StandardCharsets.US_ASCII);
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    /** The fingerprint as OpenSSH prints it: SHA256: and the unpadded base64 of the blob's SHA-256. */
    static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    // JSch only calls the methods below when it may add keys itself (StrictHostKeyChecking=ask/no),
    // which pgmigrate never configures; they read or leave the file untouched.

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        throw new UnsupportedOperationException("host keys are added only by accept-new");
    }

    @Override
    public void remove(String host, String type) {
        throw new UnsupportedOperationException("pgmigrate never removes host keys");
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        throw new UnsupportedOperationException("pgmigrate never removes host keys");
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return file.toString();
    }

    @Override
    public HostKey[] getHostKey() {
        return load().getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        List<HostKey> usable = new ArrayList<>();
        for (HostKey k : load().getHostKey(host, type)) {
            if (k.getMarker().isEmpty()) {
                usable.add(k);
            }
        }
        return usable.toArray(new HostKey[0]);
    }
}
