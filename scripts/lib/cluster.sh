# Functions for throw-away local PostgreSQL clusters (benchmarks; the demo is `pgmigrate demo`). Source it; needs
# scripts/toolchain.sh to have run (PGMIGRATE_PG15_BIN / PGMIGRATE_PG18_BIN set from its env file).
# Clusters run as the postgres OS user when we are root (PostgreSQL refuses root), else as ourselves.

pgm_load_toolchain() {
  local root="$1"
  eval "$(bash "$root/scripts/toolchain.sh" 2>/dev/null | grep '^PGMIGRATE_' | sed 's/^/export /')"
}

pgm_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pgm_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# pgm_new_cluster DIR BINDIR PORT: initdb DIR/data (no checksums, like Debian's default) and start it.
pgm_new_cluster() {
  local dir="$1" bin="$2" port="$3"
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir" && chmod 755 "$dir"
  pgm_as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  cat >> "$dir/data/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_prepared_transactions = 10
shared_buffers = 128MB
fsync = off
CONF
  pgm_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null
}

pgm_stop_cluster() {
  local dir="$1" bin="$2"
  [ -f "$dir/data/postmaster.pid" ] && pgm_as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
}

# pgm_inventory FILE NAME DIR PORT TARGET_PORT MODE: an inventory for the local cluster in DIR.
pgm_inventory() {
  local file="$1" name="$2" dir="$3" port="$4" tport="$5" mode="$6" become=""
  [ "$(id -u)" -eq 0 ] && become="  become: postgres"
  cat > "$file" <<YAML
name: $name
strategy: pg-upgrade
source:
  host: local
$become
  pg: { host: 127.0.0.1, port: $port, user: postgres, database: postgres, sslmode: disable }
  dataDir: $dir/data
  binDir: $PGMIGRATE_PG15_BIN
target:
  version: 18
  binDir: $PGMIGRATE_PG18_BIN
  dataDir: $dir/data18
  port: $tport
options:
  mode: $mode
  jobs: 2
YAML
}
