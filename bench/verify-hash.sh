#!/usr/bin/env bash
# Benchmark: data fingerprints (issue #4) of a 10-million-row database with 2 parallel sessions.
# Target: at least 2 million rows/s. Builds (or reuses) a cluster with pgbench_accounts at scale 100,
# prints rows/s of pgmigrate's fingerprint run (3 runs; then 3 with key ranges, as a baseline is measured),
# then the same split over 2 psql sessions
# for other ways of hashing a row, and count(*) alone as the floor.
# Usage: bench/verify-hash.sh [VERSION] [SCALE]     (default 18 100; the cluster stays in
#        /tmp/pgm-bench-hash-VERSION-SCALE for the next run; PGM_BENCH_CLEAN=1 removes it at the end)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/lib/cluster.sh"
pgm_load_toolchain "$root"
version=${1:-18}
scale=${2:-100}
bin_var="PGMIGRATE_PG${version}_BIN"
bin="${!bin_var}"
work="/tmp/pgm-bench-hash-$version-$scale"
cleanup() {
  pgm_stop_cluster "$work" "$bin"
  if [ "${PGM_BENCH_CLEAN:-0}" = 1 ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
if [ -f "$work/port" ] && [ -f "$work/loaded" ]; then
  port=$(cat "$work/port")
  echo "reusing $work (port $port)"
  pgm_as_owner "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 start >/dev/null
else
  rm -rf "$work"
  port=$(pgm_free_port)
  pgm_new_cluster "$work" "$bin" "$port"
  echo "$port" > "$work/port"
  echo "loading pgbench scale $scale into $work ..."
  "$bin/pgbench" -i -q -s "$scale" -h 127.0.0.1 -p "$port" -U postgres postgres
  "$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "VACUUM ANALYZE"
  touch "$work/loaded"
fi
psql=("$bin/psql" -X -q -At -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1)
rows=$("${psql[@]}" -c "SELECT sum(n_live_tup) FROM pg_stat_user_tables")
pages=$("${psql[@]}" -c "SELECT pg_relation_size('pgbench_accounts') / current_setting('block_size')::int")
echo "$(date -u +%FT%TZ)  $(nproc) cores, $(free -m | awk '/Mem:/{printf "%.1f", $2 / 1024}') GiB, PostgreSQL $("${psql[@]}" -c 'SHOW server_version'), $rows rows"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"${psql[@]}" -c "SELECT count(*) FROM pgbench_accounts" >/dev/null   # warm the OS cache

# CPU seconds the cluster's backends used so far: the postmaster's reaped children (cutime + cstime),
# so a figure that other load on the machine cannot inflate
backend_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($16 + $17) / hz}' "/proc/$(head -1 "$work/data/postmaster.pid")/stat"
}
(cd "$root" && mvn -B -q -o -Dstyle.color=never -DskipTests package)
cpu0=$(backend_cpu)
java -cp "$root/target/pgmigrate.jar:$root/target/test-classes" io.pgmigrate.verify.FingerprintBench \
  127.0.0.1 "$port" postgres 2 3
sleep 1  # until the postmaster has reaped the backends
cpu=$(echo "$(backend_cpu) - $cpu0" | bc)
echo "backend CPU for the 3 runs: $cpu s = $(echo "3 * $rows / $cpu" | bc) rows per CPU-second" \
  "(an idle 2-core machine would give up to twice that per second)"
# the same with key ranges, as the baseline is measured (each table's rows also per range of its key)
cpu0=$(backend_cpu)
java -cp "$root/target/pgmigrate.jar:$root/target/test-classes" io.pgmigrate.verify.FingerprintBench \
  127.0.0.1 "$port" postgres 2 3 ranges
sleep 1
cpu=$(echo "$(backend_cpu) - $cpu0" | bc)
echo "with key ranges: backend CPU for the 3 runs: $cpu s = $(echo "3 * $rows / $cpu" | bc) rows per CPU-second"

# the same 2-session split (two halves of pgbench_accounts by block, the small tables left out) for
# other ways of hashing a row, each with the pinned settings; rows/s over pgbench_accounts alone
half=$(( pages / 2 ))
n=$("${psql[@]}" -c "SELECT count(*) FROM public.pgbench_accounts")
pins="SET TimeZone='UTC'; SET DateStyle='ISO, MDY'; SET IntervalStyle=postgres; SET extra_float_digits=1;
SET bytea_output=hex; SET lc_monetary='C'; SET search_path=''; SET max_parallel_workers_per_gather=0;"
variant() {  # variant LABEL SQL: SQL has @WHERE@ where each session's ctid condition goes
  local label="$1" sql="$2" start end p1 p2 c0 c
  local lower="WHERE ctid < '($half,0)'::pg_catalog.tid" upper="WHERE ctid >= '($half,0)'::pg_catalog.tid"
  c0=$(backend_cpu)
  start=$(date +%s.%N)
  "${psql[@]}" -c "$pins" -c "${sql//@WHERE@/$lower}" >/dev/null & p1=$!
  "${psql[@]}" -c "$pins" -c "${sql//@WHERE@/$upper}" >/dev/null & p2=$!
  wait "$p1"; wait "$p2"
  end=$(date +%s.%N)
  sleep 1  # until the postmaster has reaped both backends
  c=$(echo "$(backend_cpu) - $c0" | bc)
  printf '%-58s %6.2f s = %9.0f rows/s; CPU %6.2f s = %9.0f rows/CPU-s\n' "$label" "$(echo "$end - $start" | bc)" \
    "$(echo "$n / ($end - $start)" | bc)" "$c" "$(echo "$n / $c" | bc)"
}
t="FROM ONLY public.pgbench_accounts t @WHERE@"
ours=$(java -cp "$root/target/pgmigrate.jar:$root/target/test-classes" io.pgmigrate.verify.FingerprintBench \
  127.0.0.1 "$port" postgres sql public pgbench_accounts)
row="pg_catalog.hash_record_extended(ROW(t.abalance, t.aid, t.bid, (t.filler COLLATE \"C\")), 7061766009160741)"
variant "count(*) only (the floor)" "SELECT count(*) $t"
variant "pgmigrate's: sum(mix(XOR of each column's hash))" "${ours/ OFFSET 0) s/ @WHERE@ OFFSET 0) s}"
variant "sum(mix(hash_record_extended(ROW(columns))))" \
  "SELECT count(*), sum(pg_catalog.hashint8extended(s.h, s.h)) FROM (SELECT $row AS h $t OFFSET 0) s"
variant "sum(hashtextextended(ROW(columns)::text)): row as text" \
  "SELECT count(*), sum(pg_catalog.hashtextextended(ROW(t.abalance, t.aid, t.bid, t.filler)::text, 0)) $t"
variant "sum(hashtextextended(t::text)): whole-row text" "SELECT count(*), sum(pg_catalog.hashtextextended(t::text, 0)) $t"
variant "sum(64 bits of md5(t::text)): whole-row text, md5" \
  "SELECT count(*), sum(('x' || left(pg_catalog.md5(t::text), 16))::bit(64)::bigint) $t"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
