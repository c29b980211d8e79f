#!/usr/bin/env bash
# Benchmark: `pgmigrate plan` on a PostgreSQL 15 cluster with 10,000 tables over 3 databases.
# Target (issue #2): under 15 s on a 2-core machine. Prints the wall time of 3 runs without and 3 with
# the schema rehearsal (which dumps and restores the whole schema into a scratch PostgreSQL 18 cluster).
# Usage: bench/plan-10k-tables.sh [TABLES]   (default 10000)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/lib/cluster.sh"
pgm_load_toolchain "$root"
tables=${1:-10000}
work=$(mktemp -d /tmp/pgm-bench-XXXX)
port=$(pgm_free_port); tport=$(pgm_free_port)
trap 'pgm_stop_cluster "$work" "$PGMIGRATE_PG15_BIN"; rm -rf "$work"' EXIT
pgm_new_cluster "$work" "$PGMIGRATE_PG15_BIN" "$port"
psql=("$PGMIGRATE_PG15_BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1)
per_db=$(( (tables + 2) / 3 ))
echo "creating $tables tables (each with a primary key and an index) over 3 databases ..."
for db in bench_a bench_b bench_c; do
  "${psql[@]}" -d postgres -c "CREATE DATABASE $db"
  # one statement per transaction (\gexec): 10,000 tables in one transaction would exhaust the lock table
  printf '%s\n' "SELECT format('CREATE TABLE t%s (id bigint PRIMARY KEY, v text, at timestamptz)', i) FROM generate_series(1, $per_db) i \\gexec" \
    "SELECT format('CREATE INDEX ON t%s (at)', i) FROM generate_series(1, $per_db) i \\gexec" | "${psql[@]}" -d "$db" >/dev/null
done
pgm_inventory "$work/pgmigrate.yaml" bench-10k "$work" "$port" "$tport" link
(cd "$root" && mvn -B -q -DskipTests package)
timed() {  # timed LABEL ARGS...: wall time of `pgmigrate plan ARGS` three times
  local label="$1"; shift
  for run in 1 2 3; do
    start=$(date +%s.%N)
    set +e
    java -jar "$root/target/pgmigrate.jar" plan -i "$work/pgmigrate.yaml" -o "$work/plans" "$@" >/dev/null
    rc=$?
    set -e
    end=$(date +%s.%N)
    printf '%s run %d: %.2f s (exit %d)\n' "$label" "$run" "$(echo "$end - $start" | bc)" "$rc"
  done
}
timed "plan --no-rehearsal" --no-rehearsal
timed "plan (with schema rehearsal)"
