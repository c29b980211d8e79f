package io.pgmigrate.testing.hosts;

/**
 * The patroni.yml of a {@link PatroniCluster} member: Patroni 3.0.2's defaults for timing (ttl 30 s, loop_wait 10 s,
 * retry_timeout 10 s), physical slots, pg_rewind, etcd's v3 API, and pg_hba in {@code bootstrap} only. For a
 * PostgreSQL before 16 its {@code postgresql.parameters} also set {@code vacuum_defer_cleanup_age}, which 16 removed (as
 * a config written years ago has it): an upgrade must take it out, or 18 does not start.
 */
final class PatroniConfig {
    private PatroniConfig() {
    }

    static String yaml(String scope, TestHost member, String etcdAddress, String binDir, String dataDir) {
        String ip = member.address();
        String secret = HostCluster.PASSWORD;
        return ("""
                scope: %s
                namespace: /service/
                name: %s
                restapi:
                  listen: %s:%d
                  connect_address: %s:%d
                etcd3:
                  hosts: %s:2379
                bootstrap:
                  dcs:
                    ttl: 30
                    loop_wait: 10
                    retry_timeout: 10
                    maximum_lag_on_failover: 1048576
                    postgresql:
                      use_pg_rewind: true
                      use_slots: true
                      parameters:
                        password_encryption: scram-sha-256
                        fsync: 'off'
                  initdb:
                    - encoding: UTF8
                    - locale: C.UTF-8
                  pg_hba:
                    - local all all trust
                    - host all all 127.0.0.1/32 trust
                    - host all all %s/32 trust
                    - host all all samenet scram-sha-256
                    - host replication all samenet scram-sha-256
                postgresql:
                  listen: '*:%d'
                  connect_address: %s:%d
                  data_dir: %s
                  bin_dir: %s
                  pgpass: /var/lib/postgresql/.pgpass.patroni
                  authentication:
                    superuser:
                      username: postgres
                      password: %s
                    replication:
                      username: %s
                      password: %s
                  parameters:
                    unix_socket_directories: /tmp
                """ + (dataDir.contains("/15/") || dataDir.contains("/13/") ? "    vacuum_defer_cleanup_age: 0\n" : "")
                ).formatted(scope, member.name(), ip, PatroniCluster.REST_PORT, ip,
                PatroniCluster.REST_PORT, etcdAddress, member.controllerAddress(), PatroniCluster.PG_PORT, ip,
                PatroniCluster.PG_PORT, dataDir, binDir, secret, PatroniCluster.REPLICATION_USER, secret);
    }
}
