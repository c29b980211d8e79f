package io.pgmigrate.testing.hosts;

import java.util.List;

/**
 * SSH between the postgres users of some hosts, as an upgrade's rsync from the leader to the replicas needs: each
 * gets an ed25519 key of its own, every key is authorized on every host, and every host's real host key is in every
 * known_hosts under the host's name and address (the test client's key stays authorized too).
 */
final class PatroniSsh {
    private PatroniSsh() {
    }

    static void connect(List<TestHost> hosts) {
        StringBuilder keys = new StringBuilder();
        StringBuilder known = new StringBuilder();
        for (TestHost h : hosts) {
            h.execAsPostgres("sh", "-c", "test -f ~/.ssh/id_ed25519 || ssh-keygen -q -t ed25519 -N '' -f"
                    + " ~/.ssh/id_ed25519 -C postgres@" + h.name());
            keys.append(h.execAsPostgres("cat", "/var/lib/postgresql/.ssh/id_ed25519.pub").strip()).append('\n');
            known.append(h.name()).append(',').append(h.address()).append(' ').append(h.hostKeyLine()).append('\n');
        }
        for (TestHost h : hosts) {
            h.execAsPostgres("sh", "-c", "printf %s \"$1\" >> ~/.ssh/authorized_keys && printf %s \"$2\" >"
                    + " ~/.ssh/known_hosts && chmod 600 ~/.ssh/known_hosts", "sh", keys.toString(), known.toString());
        }
    }
}
