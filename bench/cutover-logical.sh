#!/usr/bin/env bash
# Benchmark (issue #5): the write outage of the blue/green cutover as a client sees it through pgbouncer.
# `pgmigrate execute` of a `strategy: logical` plan moves a PostgreSQL 15 cluster (blue; pgbench -i -s 50) to a
# PostgreSQL 18 cluster beside it on another port of the same host (green) by logical replication, behind a real
# pgbouncer that it PAUSEs, re-points at green with the switch command this script installs
# (bench/pgbouncer-point-at: rewrites pgbouncer.ini's [databases] entries, RELOAD) and RESUMEs, while the project's
# load client (io.pgmigrate.bench.LedgerLoad, test scope) writes one ledger row per transaction through pgbouncer
# at a steady rate for the whole run. Reported per run: the longest gap between two commits (the outage as the
# client sees it), the client's latency distribution, its errors (must be 0), the ledger check (every committed
# row present on green, which serves at the end; must be 100 %), the sequences (green's above every value blue
# handed out), pgmigrate's own measured outage (`pgmigrate status`) and the duration of each cutover step.
#
# Blue runs with wal_level = logical from the start (set in the seed's postgresql.conf before its last restart),
# so the plan has no restart of blue: the only outage is the cutover's. pgbench leaves pgbench_history without a
# primary key; the seed gives it REPLICA IDENTITY FULL (the fix the pre-flight's logical-replica-identity blocker
# names). The ledger table gets a sequence-backed column (n bigserial) and the server version that inserted each
# row (served_by), so that the run shows whether green's sequence continued above blue's.
#
# Usage: bench/cutover-logical.sh [RUNS]     (default 1; each run starts from a copy of one seed cluster)
#   BENCH_SCALE=50 BENCH_TABLES=0 BENCH_ANALYZE=1   the seed: pgbench scale, small tables as in bench/outage-swap.sh
#   LOAD_RATE=100 LOAD_CONNECTIONS=2                the client: transactions per second in all, connections
#   BENCH_BEFORE_SWITCH=true                        options.verify.beforeSwitch: the data comparison inside the outage
#   BENCH_ROWCOUNTS=exact|fast|off BENCH_FINGERPRINTS=true|false   options.verify of the inventory (default: unset,
#                                                   i.e. pgmigrate's defaults for logical: exact counts, fingerprints)
#   BENCH_OUT=DIR                                   keep the raw results (client output, journals, plans) in DIR
#   BENCH_PLAN_ONLY=1                               stop after the plan of the first run (it must be READY)
# Needs root (clusters and pgbouncer run as the postgres OS user) and scripts/toolchain.sh to have run once.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/lib/cluster.sh"
[ "$(id -u)" -eq 0 ] || { echo "run as root (the clusters run as the postgres OS user)" >&2; exit 2; }
pgm_load_toolchain "$root"
runs=${1:-1}
scale=${BENCH_SCALE:-50}
tables=${BENCH_TABLES:-0}
analyze=${BENCH_ANALYZE:-1}
rate=${LOAD_RATE:-100}
conns=${LOAD_CONNECTIONS:-2}
name=cutover-logical
old_bin=$PGMIGRATE_PG15_BIN
new_bin=$PGMIGRATE_PG18_BIN
work=$(mktemp -d /tmp/pgm-cutover-logical-XXXX)
chown postgres: "$work"; chmod 755 "$work"
run="$work/run"; seed="$work/seed"; bouncer="$work/bouncer"; green="$run/data18"
res="${BENCH_OUT:-$work/results}"
mkdir -p "$res"
: > "$res/runs.tsv"
port=$(pgm_free_port); gport=$(pgm_free_port); bport=$(pgm_free_port)
switch="$work/bin/pgbouncer-point-at"

cleanup() {
  pgm_ledger_stop "$work/load.stop"
  pgm_stop_pgbouncer "$bouncer"
  pgm_stop_upgrade_run "$run" "$name" "$old_bin" "$new_bin"   # green is $run/data18, blue $run/data
  if [ -f "$seed/postmaster.pid" ]; then
    pgm_as_owner "$old_bin/pg_ctl" -D "$seed" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pgm_build "$root"
pgm=("$root/bin/pgmigrate")
load=(java -cp "$root/target/pgmigrate.jar:$root/target/test-classes" io.pgmigrate.bench.LedgerLoad)
psql_at() { local p="$1"; shift; "$new_bin/psql" -X -q -A -t -F $'\t' -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$p" -U postgres -d bench "$@"; }

# the switch command, where pgmigrate (root) and the postgres OS user can both run it
mkdir -p "$work/bin"
install -m 0755 "$root/bench/pgbouncer-point-at" "$switch"

# ---- the seed cluster (blue), with wal_level = logical and the client's ledger table, before any plan -----------
pgm_log "seed: PostgreSQL 15 cluster, pgbench -i -s $scale and $tables small tables in $work"
pgm_new_cluster "$run" "$old_bin" "$port"
echo "wal_level = logical" >> "$run/data/postgresql.conf"   # takes effect at the seed's next start: no restart in the plan
pgm_seed_bench "$old_bin" "$port" "$scale" "$tables" "$analyze"
"${load[@]}" "jdbc:postgresql://127.0.0.1:$port/bench" --create
psql_at "$port" -c "ALTER TABLE pgbench_history REPLICA IDENTITY FULL" \
  -c "ALTER TABLE ledger ADD COLUMN n bigserial, ADD COLUMN served_by int NOT NULL DEFAULT current_setting('server_version_num')::int,
        ADD COLUMN written_at timestamptz NOT NULL DEFAULT clock_timestamp()"
pgm_as_owner "$old_bin/pg_ctl" -D "$run/data" -m fast -w stop >/dev/null
mv "$run/data" "$seed"
pgm_log "seed ready; ports $port (blue, PostgreSQL 15), $gport (green, PostgreSQL 18), $bport (pgbouncer)"

# the figures the clusters hold after a run: sequences on both, and what the ledger says on green
after_run_checks() {
  local n="$1"
  psql_at "$port" -c "SELECT schemaname || '.' || sequencename, coalesce(last_value, 0) FROM pg_sequences ORDER BY 1" \
    > "$res/r$n.seq.blue" || true
  psql_at "$gport" -c "SELECT schemaname || '.' || sequencename, coalesce(last_value, 0) FROM pg_sequences ORDER BY 1" \
    > "$res/r$n.seq.green" || true
  # rows inserted on blue (served_by 15xxxx, replicated) and on green (18xxxx): green's n must continue above blue's
  psql_at "$gport" -c "SELECT count(*) FILTER (WHERE served_by < 180000), coalesce(max(n) FILTER (WHERE served_by < 180000), 0),
      count(*) FILTER (WHERE served_by >= 180000), coalesce(min(n) FILTER (WHERE served_by >= 180000), 0),
      count(*) - count(DISTINCT n)
    FROM ledger" > "$res/r$n.ledger.split" || true
  # send (client clock) → insert (server clock, same host): the latency up to the INSERT, p95 included
  psql_at "$gport" -c "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d)::numeric, 1),
      round(percentile_cont(0.95) WITHIN GROUP (ORDER BY d)::numeric, 1), round(percentile_cont(0.99) WITHIN GROUP (ORDER BY d)::numeric, 1),
      round(max(d)::numeric, 1)
    FROM (SELECT extract(epoch FROM written_at - client_at) * 1000 AS d FROM ledger) x" > "$res/r$n.ledger.delay" || true
}

one_run() {
  local n="$1" rc la t0 t1 st
  pgm_stop_upgrade_run "$run" "$name" "$old_bin" "$new_bin"
  pgm_stop_pgbouncer "$bouncer"
  rm -rf "$run" "$bouncer"
  mkdir -p "$run"; chown postgres: "$run"; chmod 755 "$run"
  cp -a "$seed" "$run/data"; sync
  pgm_as_owner "$old_bin/pg_ctl" -D "$run/data" -l "$run/server15.log" -w -t 120 start >/dev/null
  pgm_start_pgbouncer "$bouncer" "$bport" "$port"
  pgm_inventory_logical "$run/pgmigrate.yaml" "$name" "$run" "$port" "$green" "$gport"
  if [ -n "${BENCH_ROWCOUNTS:-}${BENCH_FINGERPRINTS:-}${BENCH_BEFORE_SWITCH:-}" ]; then
    printf '  verify:\n' >> "$run/pgmigrate.yaml"
    [ -z "${BENCH_BEFORE_SWITCH:-}" ] || printf '    beforeSwitch: %s\n' "$BENCH_BEFORE_SWITCH" >> "$run/pgmigrate.yaml"
    [ -z "${BENCH_ROWCOUNTS:-}" ] || printf '    rowCounts: %s\n' "$BENCH_ROWCOUNTS" >> "$run/pgmigrate.yaml"
    [ -z "${BENCH_FINGERPRINTS:-}" ] || printf '    fingerprints: %s\n' "$BENCH_FINGERPRINTS" >> "$run/pgmigrate.yaml"
  fi
  cat >> "$run/pgmigrate.yaml" <<YAML
cutover:
  pgbouncer: { host: 127.0.0.1, port: $bport, adminUser: pgbouncer }
  switchCommand: [$switch, --ini, $bouncer/pgbouncer.ini, --admin, "127.0.0.1:$bport", --psql, $new_bin/psql]
YAML
  cp "$run/pgmigrate.yaml" "$res/r$n.pgmigrate.yaml"
  set +e
  "${pgm[@]}" plan --no-rehearsal -i "$run/pgmigrate.yaml" -o "$run/plans" > "$res/r$n.plan.out" 2>&1
  rc=$?
  set -e
  cp "$run/plans/$name.plan.md" "$res/r$n.plan.md" 2>/dev/null || true
  cp "$run/plans/$name.plan.json" "$res/r$n.plan.json" 2>/dev/null || true
  if [ "$rc" -ne 0 ] || ! grep -q '^\*\*Status: READY\*\*' "$run/plans/$name.plan.md"; then
    tail -n 20 "$res/r$n.plan.out" >&2; grep -A3 -i 'blocker' "$run/plans/$name.plan.md" >&2 || true
    echo "plan exited $rc or is not READY" >&2; exit 1
  fi
  pgm_log "run $n: plan READY ($(grep -m1 'Estimated write outage' "$res/r$n.plan.md" | tr -d '|' | sed 's/  */ /g'))"
  if [ -n "${BENCH_PLAN_ONLY:-}" ]; then return 0; fi
  sleep 2
  la=$(pgm_loadavg)
  # the client writes through pgbouncer; at the end it checks its ledger on green directly (green serves then)
  pgm_ledger_start "$root" "jdbc:postgresql://127.0.0.1:$bport/bench" "jdbc:postgresql://127.0.0.1:$gport/bench" \
    "$conns" "$rate" "$work/load.stop" "$res/r$n.load.json" "$res/r$n.load.out"
  sleep 5   # steady state before the execution starts
  t0=$EPOCHREALTIME
  set +e
  "${pgm[@]}" execute -i "$run/pgmigrate.yaml" "$run/plans/$name.plan.json" > "$res/r$n.execute.out" 2>&1
  rc=$?
  set -e
  t1=$EPOCHREALTIME
  sleep 5   # steady state after
  pgm_ledger_stop "$work/load.stop"
  cp "$run/plans/$name.journal.jsonl" "$res/r$n.journal.jsonl" 2>/dev/null || true
  "${pgm[@]}" status "$run/plans/$name.plan.json" > "$res/r$n.status" 2>&1 || true
  if [ "$rc" -ne 0 ]; then
    tail -n 30 "$res/r$n.execute.out" >&2
    echo "--- journal, last entries:" >&2; tail -n 15 "$res/r$n.journal.jsonl" >&2 || true
    echo "--- pgmigrate status:" >&2; cat "$res/r$n.status" >&2
    sed -n '2,$p' "$res/r$n.load.out" 2>/dev/null | grep -v '^{' | sed 's/^/    /' >&2 || true
    echo "execute exited $rc (results in $res)" >&2; exit 1
  fi
  after_run_checks "$n"
  [ -f "$res/r$n.load.json" ] || { cat "$res/r$n.load.out" >&2; echo "the load client reported nothing" >&2; exit 1; }
  printf '%d\t%s\t%s\t%s\t%s\n' "$n" "$t0" "$t1" "$la" "$(pgm_loadavg)" >> "$res/runs.tsv"
  st=$(grep -o 'measured write outage [^(]*' "$res/r$n.status" | head -n 1 || true)
  pgm_log "run $n: execute $(echo "$t1 - $t0" | bc) s; ${st:-no outage figure in pgmigrate status}; load before $la"
  sed -n '2,$p' "$res/r$n.load.out" | grep -v '^{' | sed 's/^/    /'
}

pgm_log "load average before: $(pgm_loadavg) (uptime: $(uptime))"
for n in $(seq 1 "$runs"); do
  one_run "$n"
  [ -z "${BENCH_PLAN_ONLY:-}" ] || { pgm_log "BENCH_PLAN_ONLY: stopping after the plan ($res/r1.plan.md)"; exit 0; }
done
pgm_log "load average after: $(pgm_loadavg)"

# ---- figures ------------------------------------------------------------------------------------------------
python3 - "$res" "$root/scripts/lib" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[2])
from bench_report import step_times, outage_steps, client_cells, client_ok
res = sys.argv[1]

def rows(path):
    try:
        return [l.rstrip("\n").split("\t") for l in open(path) if l.strip()]
    except FileNotFoundError:
        return []

ok = True
steps_lines = []
print()
print("run | client: longest commit gap | latency p50 / p90 / p99 / max | committed | errors | ledger on green"
      " | send→insert p50 / p95 / p99 / max | sequences | pgmigrate's measured outage (cutover.freeze → cutover.resume)"
      " | gap inside it | pgmigrate status | load before")
for line in open(f"{res}/runs.tsv"):
    n, t0, t1, la, la_after = line.rstrip("\n").split("\t")
    c = json.load(open(f"{res}/r{n}.load.json"))
    started, finished = step_times(f"{res}/r{n}.journal.jsonl")
    inside = outage_steps(f"{res}/r{n}.plan.json", "cutover")
    pgm = finished[inside[-1]] - started[inside[0]]
    g0, g1 = c["gapFromEpochMs"] / 1000, c["gapToEpochMs"] / 1000
    within = g0 <= finished[inside[-1]] and g1 >= started[inside[0]]
    # sequences: every one on green at or above blue's last value
    blue = {r[0]: int(r[1]) for r in rows(f"{res}/r{n}.seq.blue")}
    green = {r[0]: int(r[1]) for r in rows(f"{res}/r{n}.seq.green")}
    seq_ok = bool(blue) and all(green.get(k, -1) >= v for k, v in blue.items())
    split = rows(f"{res}/r{n}.ledger.split")
    on_blue, blue_max, on_green, green_min, dups = (int(x) for x in split[0]) if split else (0, 0, 0, 0, -1)
    n_ok = dups == 0 and on_green > 0 and green_min > blue_max
    seq_cell = (f"{'ok' if seq_ok and n_ok else 'NO'}: " + ", ".join(f"{k} {blue[k]} → {green.get(k)}" for k in blue)
                + f"; ledger.n ≤ {blue_max} on blue ({on_blue} rows), ≥ {green_min} on green ({on_green} rows)")
    delay = rows(f"{res}/r{n}.ledger.delay")
    delay_cell = " / ".join(delay[0]) + " ms" if delay else "?"
    status = open(f"{res}/r{n}.status").readline().strip()
    print(" | ".join((n,) + client_cells(c)) + f" | {delay_cell} | {seq_cell} | {pgm:.3f} s | "
          f"{'yes' if within else 'no'} | {status} | {la}")
    ok = ok and client_ok(c) and seq_ok and n_ok
    cut = [s for s in outage_steps(f"{res}/r{n}.plan.json", "cutover")]
    steps_lines.append(f"run {n}: " + ", ".join(
        f"{s.removeprefix('cutover.')} {finished[s] - started[s]:.3f}" for s in cut if s in started and s in finished)
        + f"; between steps {pgm - sum(finished[s] - started[s] for s in cut if s in started and s in finished):.3f}")
print()
print("cutover steps inside the outage, seconds each (journal step-started → step-finished):")
for l in steps_lines:
    print("  " + l)
print()
print("errors 0, ledger complete and sequences above blue's in every run:", "yes" if ok else "NO")
sys.exit(0 if ok else 1)
PY
