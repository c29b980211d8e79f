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

# pgm_inventory_head NAME STRATEGY DIR PORT: an inventory's name and strategy, its source (the local PostgreSQL 15
# cluster in DIR on PORT, as the postgres OS user when run as root) and the first lines of its target (PostgreSQL 18).
pgm_inventory_head() {
  local name="$1" strategy="$2" dir="$3" port="$4" become=""
  [ "$(id -u)" -eq 0 ] && become="  become: postgres"
  cat <<YAML
name: $name
strategy: $strategy
source:
  host: local
$become
  pg: { host: 127.0.0.1, port: $port, user: postgres, database: postgres, sslmode: disable }
  dataDir: $dir/data
  binDir: $PGMIGRATE_PG15_BIN
target:
  version: 18
  binDir: $PGMIGRATE_PG18_BIN
YAML
}

# pgm_inventory FILE NAME DIR PORT TARGET_PORT MODE: an inventory for the local cluster in DIR.
pgm_inventory() {
  local file="$1" name="$2" dir="$3" port="$4" tport="$5" mode="$6"
  { pgm_inventory_head "$name" pg-upgrade "$dir" "$port"; cat <<YAML
  dataDir: $dir/data18
  port: $tport
options:
  mode: $mode
  jobs: 2
YAML
  } > "$file"
}

# pgm_inventory_logical FILE NAME DIR PORT GREEN_DATA GREEN_PORT: a blue/green (`strategy: logical`) inventory for
# the local cluster in DIR (blue, PostgreSQL 15 on PORT) and a PostgreSQL 18 green in GREEN_DATA on GREEN_PORT of the
# same host (as the tests' TestInventory.logical). Append a `cutover:` section (switchCommand) yourself.
pgm_inventory_logical() {
  local file="$1" name="$2" dir="$3" port="$4" gdata="$5" gport="$6"
  { pgm_inventory_head "$name" logical "$dir" "$port"; cat <<YAML
  dataDir: $gdata
  port: $gport
options:
  jobs: 2
YAML
  } > "$file"
}

# pgm_seed_bench BINDIR PORT SCALE TABLES ANALYZE: in the running cluster on PORT, database bench with
# `pgbench -i -s SCALE` and TABLES small tables over schemas s1 and s2 (primary key, an index on a timestamp
# column, 5 rows each); ANALYZE when ANALYZE is 1. The seed of the outage benchmarks.
pgm_seed_bench() {
  local bin="$1" port="$2" scale="$3" tables="$4" analyze="$5"
  local psql=("$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1)
  "${psql[@]}" -d postgres -c "CREATE DATABASE bench"
  "$bin/pgbench" -i -q -s "$scale" -h 127.0.0.1 -p "$port" -U postgres bench 2>/dev/null
  # one statement per transaction (\gexec): thousands of tables in one transaction would exhaust the lock table
  printf '%s\n' "CREATE SCHEMA s1; CREATE SCHEMA s2;" \
    "SELECT format('CREATE TABLE s%s.t%s (id bigint PRIMARY KEY, v text, at timestamptz)', 1 + i % 2, i) FROM generate_series(1, $tables) i \\gexec" \
    "SELECT format('CREATE INDEX ON s%s.t%s (at)', 1 + i % 2, i) FROM generate_series(1, $tables) i \\gexec" \
    "SELECT format('INSERT INTO s%s.t%s SELECT g, md5(g::text), now() FROM generate_series(1, 5) g', 1 + i % 2, i) FROM generate_series(1, $tables) i \\gexec" \
    | "${psql[@]}" -d bench >/dev/null
  if [ "$analyze" = 1 ]; then "${psql[@]}" -d bench -c "ANALYZE"; fi
}

# pgm_start_pgbouncer DIR PORT BACKEND_PORT: a pgbouncer on 127.0.0.1:PORT in front of 127.0.0.1:BACKEND_PORT,
# configured as the tests' TestPgbouncer (transaction pooling, trust, admin user pgbouncer), files in DIR, run
# as the cluster owner. Stop it with pgm_stop_pgbouncer DIR.
pgm_start_pgbouncer() {
  local dir="$1" port="$2" backend="$3" i
  mkdir -p "$dir"
  printf '"postgres" ""\n"pgbouncer" ""\n' > "$dir/userlist.txt"
  cat > "$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$backend
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir = $dir
auth_type = trust
auth_file = $dir/userlist.txt
admin_users = pgbouncer
pool_mode = transaction
ignore_startup_parameters = extra_float_digits,options
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
  [ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir"
  pgm_as_owner "$PGMIGRATE_PGBOUNCER" -d "$dir/pgbouncer.ini"
  for i in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "pgbouncer did not start: $(cat "$dir/pgbouncer.log" 2>/dev/null)" >&2
  return 1
}

pgm_stop_pgbouncer() {
  local dir="$1" pid
  [ -f "$dir/pgbouncer.pid" ] || return 0
  pid=$(cat "$dir/pgbouncer.pid" 2>/dev/null || true)
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
}

# pgm_stop_upgrade_run RUN NAME OLD_BIN NEW_BIN: stops whatever an outage benchmark left running in RUN:
# pgmigrate's detached programs of execution NAME (by their recorded process group), then any postmaster of
# RUN/data or RUN/data18 (pg_ctl, else its pid from postmaster.pid).
pgm_stop_upgrade_run() {
  local run="$1" name="$2" old_bin="$3" new_bin="$4" f pid d dir bin
  for f in "$run"/pgmigrate-"$name"/steps/*.pid; do
    [ -f "$f" ] || continue
    [ -f "${f%.pid}.rc" ] && continue
    pid=$(cut -d' ' -f1 "$f")
    [ -n "$pid" ] && kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for d in "$run/data18:$new_bin" "$run/data:$old_bin" "$run/data:$new_bin"; do
    dir=${d%%:*} bin=${d#*:}
    [ -f "$dir/postmaster.pid" ] || continue
    pgm_as_owner "$bin/pg_ctl" -D "$dir" -m fast -w -t 30 stop >/dev/null 2>&1 && continue
    pid=$(head -n 1 "$dir/postmaster.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill -QUIT "$pid" 2>/dev/null || true
  done
}

pgm_log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }
pgm_loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# pgm_build ROOT: target/pgmigrate.jar (when missing or older than the sources, as bin/pgmigrate decides) and the
# test classes (the load client), offline.
pgm_build() {
  local root="$1"
  (cd "$root" && { [ -f target/pgmigrate.jar ] && [ -z "$(find src/main pom.xml -newer target/pgmigrate.jar -print -quit)" ] \
    || mvn -B -q -o -DskipTests package; } && mvn -B -q -o test-compile)
}

# pgm_ledger_start ROOT URL CHECK_URL CONNECTIONS RATE STOP_FILE JSON OUT: the project's load client
# (io.pgmigrate.bench.LedgerLoad, test scope) in the background, writing ledger rows through URL at RATE
# transactions per second over CONNECTIONS connections until STOP_FILE exists; then it checks that every
# committed row is on the cluster at CHECK_URL and writes its figures to JSON (its output to OUT). Its pid is
# in PGM_LEDGER_PID; stop it with pgm_ledger_stop STOP_FILE. The ledger table must exist (LedgerLoad URL --create).
PGM_LEDGER_PID=""
pgm_ledger_start() {
  local root="$1" url="$2" check="$3" conns="$4" rate="$5" stop="$6" json="$7" out="$8"
  rm -f "$stop"
  java -cp "$root/target/pgmigrate.jar:$root/target/test-classes" io.pgmigrate.bench.LedgerLoad "$url" \
    --connections "$conns" --rate "$rate" --stop-file "$stop" --check "$check" --json "$json" > "$out" 2>&1 &
  PGM_LEDGER_PID=$!
}

# pgm_ledger_stop STOP_FILE: the client finishes its transactions in flight, then checks the ledger (up to 30 s);
# a stuck one is killed.
pgm_ledger_stop() {
  local stop="$1"
  [ -n "$PGM_LEDGER_PID" ] || return 0
  touch "$stop"
  for _ in $(seq 150); do kill -0 "$PGM_LEDGER_PID" 2>/dev/null || break; sleep 0.2; done
  kill "$PGM_LEDGER_PID" 2>/dev/null || true
  wait "$PGM_LEDGER_PID" 2>/dev/null || true
  PGM_LEDGER_PID=""
}
