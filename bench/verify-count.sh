#!/usr/bin/env bash
# Benchmark (issue #4): exact row counting of `pgmigrate verify` with --jobs 2 against the same
# count(*) statements run by two psql processes, on ~10 million rows (pgbench scale 50 = 5M rows in
# pgbench_accounts, plus a 5M-row copy of it, plus the small pgbench tables). Target: pgmigrate's
# counting takes at most 1.2 x the time of the two psql processes. Three alternating runs of each.
# Usage: bench/verify-count.sh [SCALE]   (default 50)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/lib/cluster.sh"
pgm_load_toolchain "$root"
scale=${1:-50}
work=$(mktemp -d /tmp/pgm-bench-XXXX)
port=$(pgm_free_port)
trap 'pgm_stop_cluster "$work" "$PGMIGRATE_PG18_BIN"; rm -rf "$work"' EXIT
pgm_new_cluster "$work" "$PGMIGRATE_PG18_BIN" "$port"
psql=("$PGMIGRATE_PG18_BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1)
echo "loading pgbench scale $scale and a copy of pgbench_accounts ..."
"${psql[@]}" -d postgres -c "CREATE DATABASE bench"
"$PGMIGRATE_PG18_BIN/pgbench" -i -q -s "$scale" -h 127.0.0.1 -p "$port" -U postgres bench 2>/dev/null
"${psql[@]}" -d bench -c "CREATE TABLE accounts_copy AS SELECT * FROM pgbench_accounts" -c "VACUUM ANALYZE"
(cd "$root" && mvn -B -q -o -DskipTests package && mvn -B -q -o test-compile)
cp="$root/target/pgmigrate.jar:$root/target/test-classes"
# the tables largest first, dealt alternately to two lists: what two DBAs with psql would do
mapfile -t tables < <("${psql[@]}" -d bench -At -c "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public'
  ORDER BY pg_relation_size(c.oid) DESC")
a=(); b=()
for i in "${!tables[@]}"; do
  if (( i % 2 == 0 )); then a+=("-c" "SELECT count(*) FROM ${tables[$i]}"); else b+=("-c" "SELECT count(*) FROM ${tables[$i]}"); fi
done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in 1 2 3; do
  start=$(date +%s.%N)
  "${psql[@]}" -d bench "${a[@]}" >/dev/null & p1=$!
  "${psql[@]}" -d bench "${b[@]}" >/dev/null & p2=$!
  wait "$p1" "$p2"
  end=$(date +%s.%N)
  printf 'two psql processes, run %d: %.2f s\n' "$run" "$(echo "$end - $start" | bc)"
  java -cp "$cp" io.pgmigrate.bench.RowCountBench 127.0.0.1 "$port" postgres 2 bench | sed "s/^/run $run: /"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
