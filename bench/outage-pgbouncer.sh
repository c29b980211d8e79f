#!/usr/bin/env bash
# Benchmark (issue #3, and the measuring half of issue #5's): the write outage of the in-place upgrade as a
# client sees it through pgbouncer. `pgmigrate execute --mode swap` upgrades PostgreSQL 15 → 18 (pgbench scale
# 50 plus 2,000 small tables, the seed of bench/outage-swap.sh) behind a real pgbouncer that it PAUSEs and
# RESUMEs, while the project's load client (io.pgmigrate.bench.LedgerLoad, test scope) writes one ledger row per
# transaction through pgbouncer at a steady rate. Reported per run: the longest gap between two commits (the
# outage as the client sees it), the client's latency distribution, its errors (must be 0), the ledger check
# (every committed row present on the upgraded cluster, must be 100 %), and pgmigrate's own measured outage
# (`pgmigrate status`) for comparison.
#
# Usage: bench/outage-pgbouncer.sh [RUNS]     (default 1; each run starts from a copy of one seed cluster)
#   BENCH_SCALE=50 BENCH_TABLES=2000 BENCH_ANALYZE=1   the seed, as in bench/outage-swap.sh
#   LOAD_RATE=100 LOAD_CONNECTIONS=2                   the client: transactions per second in all, connections
#   BENCH_OUT=DIR                                      keep the raw results (client output, journals) in DIR
# Needs root (clusters and pgbouncer run as the postgres OS user) and scripts/toolchain.sh to have run once.
# The blue/green cutover benchmark (issue #5), bench/cutover-logical.sh, drives the same LedgerLoad the same way.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/lib/cluster.sh"
[ "$(id -u)" -eq 0 ] || { echo "run as root (the clusters run as the postgres OS user)" >&2; exit 2; }
pgm_load_toolchain "$root"
runs=${1:-1}
scale=${BENCH_SCALE:-50}
tables=${BENCH_TABLES:-2000}
analyze=${BENCH_ANALYZE:-1}
rate=${LOAD_RATE:-100}
conns=${LOAD_CONNECTIONS:-2}
name=outage-bouncer
old_bin=$PGMIGRATE_PG15_BIN
new_bin=$PGMIGRATE_PG18_BIN
work=$(mktemp -d /tmp/pgm-outage-bouncer-XXXX)
chown postgres: "$work"; chmod 755 "$work"
run="$work/run"; seed="$work/seed"; bouncer="$work/bouncer"
res="${BENCH_OUT:-$work/results}"
mkdir -p "$res"
port=$(pgm_free_port); tport=$(pgm_free_port); bport=$(pgm_free_port)
log() { pgm_log "$@"; }
loadavg() { pgm_loadavg; }

cleanup() {
  pgm_ledger_stop "$work/load.stop"
  pgm_stop_pgbouncer "$bouncer"
  pgm_stop_upgrade_run "$run" "$name" "$old_bin" "$new_bin"
  if [ -f "$seed/postmaster.pid" ]; then
    pgm_as_owner "$old_bin/pg_ctl" -D "$seed" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pgm_build "$root"
pgm=(java -jar "$root/target/pgmigrate.jar")
load=(java -cp "$root/target/pgmigrate.jar:$root/target/test-classes" io.pgmigrate.bench.LedgerLoad)

# ---- the seed cluster, with the client's ledger table (before plan: the plan is not stale) ---------------------
log "seed: PostgreSQL 15 cluster, pgbench -i -s $scale and $tables small tables in $work"
pgm_new_cluster "$run" "$old_bin" "$port"
pgm_seed_bench "$old_bin" "$port" "$scale" "$tables" "$analyze"
"${load[@]}" "jdbc:postgresql://127.0.0.1:$port/bench" --create
pgm_as_owner "$old_bin/pg_ctl" -D "$run/data" -m fast -w stop >/dev/null
mv "$run/data" "$seed"
log "seed ready; ports $port (PostgreSQL), $bport (pgbouncer), $tport (pg_upgrade's new cluster)"

one_run() {
  local n="$1" rc la t0 t1
  pgm_stop_upgrade_run "$run" "$name" "$old_bin" "$new_bin"
  pgm_stop_pgbouncer "$bouncer"
  rm -rf "$run" "$bouncer"
  mkdir -p "$run"; chown postgres: "$run"; chmod 755 "$run"
  cp -a "$seed" "$run/data"; sync
  pgm_as_owner "$old_bin/pg_ctl" -D "$run/data" -l "$run/server15.log" -w -t 120 start >/dev/null
  pgm_start_pgbouncer "$bouncer" "$bport" "$port"
  pgm_inventory "$run/pgmigrate.yaml" "$name" "$run" "$port" "$tport" swap
  printf 'cutover:\n  pgbouncer: { host: 127.0.0.1, port: %s, adminUser: pgbouncer }\n' "$bport" >> "$run/pgmigrate.yaml"
  "${pgm[@]}" plan --no-rehearsal -i "$run/pgmigrate.yaml" -o "$run/plans" > "$res/r$n.plan.out" 2>&1 \
    || { tail -n 20 "$res/r$n.plan.out" >&2; echo "plan failed" >&2; exit 1; }
  sleep 2
  la=$(loadavg)
  # the client writes through pgbouncer; at the end it checks its ledger on the cluster itself (the new one)
  pgm_ledger_start "$root" "jdbc:postgresql://127.0.0.1:$bport/bench" "jdbc:postgresql://127.0.0.1:$port/bench" \
    "$conns" "$rate" "$work/load.stop" "$res/r$n.load.json" "$res/r$n.load.out"
  sleep 5   # steady state before the upgrade starts
  t0=$EPOCHREALTIME
  set +e
  "${pgm[@]}" execute -i "$run/pgmigrate.yaml" "$run/plans/$name.plan.json" > "$res/r$n.execute.out" 2>&1
  rc=$?
  set -e
  t1=$EPOCHREALTIME
  sleep 5   # steady state after
  pgm_ledger_stop "$work/load.stop"
  cp "$run/plans/$name.journal.jsonl" "$res/r$n.journal.jsonl"
  cp "$run/plans/$name.plan.json" "$res/r$n.plan.json"
  [ "$rc" -eq 0 ] || { tail -n 20 "$res/r$n.execute.out" >&2; echo "execute exited $rc" >&2; exit 1; }
  "${pgm[@]}" status "$run/plans/$name.plan.json" | head -n 1 > "$res/r$n.status"
  [ -f "$res/r$n.load.json" ] || { cat "$res/r$n.load.out" >&2; echo "the load client reported nothing" >&2; exit 1; }
  printf '%d\t%s\t%s\t%s\t%s\n' "$n" "$t0" "$t1" "$la" "$(loadavg)" >> "$res/runs.tsv"
  log "run $n: execute $(echo "$t1 - $t0" | bc) s; $(grep -o 'measured write outage [^(]*' "$res/r$n.status"); load before $la"
  sed -n '2,$p' "$res/r$n.load.out" | grep -v '^{' | sed 's/^/    /'
}

log "load average before: $(loadavg) (uptime: $(uptime))"
for n in $(seq 1 "$runs"); do one_run "$n"; done
log "load average after: $(loadavg)"

# ---- figures ------------------------------------------------------------------------------------------------
python3 - "$res" "$root/scripts/lib" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[2])
from bench_report import step_times, outage_steps, client_cells, client_ok
res = sys.argv[1]

ok = True
print()
print("run | client: longest commit gap | latency p50 / p90 / p99 / max | committed | errors | ledger present"
      " | pgmigrate's measured outage (pause-clients → resume-clients) | gap inside the pause | load before")
for line in open(f"{res}/runs.tsv"):
    n, t0, t1, la, la_after = line.rstrip("\n").split("\t")
    c = json.load(open(f"{res}/r{n}.load.json"))
    started, finished = step_times(f"{res}/r{n}.journal.jsonl")
    inside = outage_steps(f"{res}/r{n}.plan.json")
    pgm = finished[inside[-1]] - started[inside[0]]
    pause, resume = started.get("outage.pause-clients"), finished.get("post.resume-clients")
    g0, g1 = c["gapFromEpochMs"] / 1000, c["gapToEpochMs"] / 1000
    within = pause is not None and resume is not None and g0 <= resume and g1 >= pause
    print(" | ".join((n,) + client_cells(c)) + f" | {pgm:.3f} s ({inside[0]} → {inside[-1]}) | "
          f"{'yes' if within else 'no'} | {la}")
    ok = ok and client_ok(c)
print()
print("errors 0 and ledger complete in every run:", "yes" if ok else "NO")
sys.exit(0 if ok else 1)
PY
