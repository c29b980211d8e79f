#!/usr/bin/env bash
# Benchmark (issue #3): the write outage of `pgmigrate execute` in swap mode against the same upgrade done
# by hand, on identical PostgreSQL 15 clusters (pgbench -i -s 50 plus 2,000 small tables over two schemas).
# Target: pgmigrate's outage at most 1.15 x the by-hand outage.
#
#   (a) by hand: a PostgreSQL 18 cluster is initdb'd beforehand (same flags, settings and pg_hba.conf, outside
#       the timed window, as pgmigrate's prepare phase does); timed: pg_ctl stop -m fast of the old cluster,
#       pg_upgrade --swap --jobs 2, pg_ctl start -w of the new cluster on the original port.
#   (b) pgmigrate plan --no-rehearsal, then pgmigrate execute (mode swap, jobs 2, local transport). Its own
#       figure ("measured write outage" of pgmigrate status: first outage step started → last outage step
#       finished, the plan's steps marked "in outage", i.e. CHECKPOINT → post.verify-snapshot, or → post.verify in
#       plans made before the snapshot step existed) and its per-step timings are read from the journal.
#
# Both variants are also measured from the outside by the same probe: a loop that connects to the original
# port over TCP every 50 ms (psql, SHOW server_version_num); the probe outage is the time from the last
# successful connection to PostgreSQL 15 to the first to PostgreSQL 18 (each stamped when the attempt began).
#
# The seed cluster is built once, stopped, and copied (cp -a) for every run; runs alternate a, b, a, b, ...
# Usage: bench/outage-swap.sh [PAIRS]     (default 3 pairs)
#        bench/outage-swap.sh --report DIR...   (the figures again from BENCH_OUT directories, pooled)
#   BENCH_SCALE=50 BENCH_TABLES=2000      pgbench scale and number of small tables
#   BENCH_ANALYZE=1                       ANALYZE the seed (0: leave the small tables without statistics)
#   BENCH_OUT=DIR                         keep the raw results (probe logs, journals, outputs) in DIR
# Needs root (clusters run as the postgres OS user) and scripts/toolchain.sh to have run once.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# report DIR...: the figures from one results directory, or pooled from several (bench/outage-swap.sh --report DIR...)
report() {
PGM_LIB="$root/scripts/lib" python3 - "$@" <<'PY'
import json, os, re, statistics, sys
sys.path.insert(0, os.environ["PGM_LIB"])
from bench_report import step_times as journal
dirs = sys.argv[1:]

def probe_outage(path):
    """Last successful connection to 15 → first to 18, stamped at the start of each attempt."""
    rows = [l.split() for l in open(path) if len(l.split()) == 3]
    old = [float(r[0]) for r in rows if r[2].startswith("15")]
    new = [float(r[0]) for r in rows if r[2].startswith("18")]
    if not old or not new:
        return None
    return min(t for t in new if t > max(old)) - max(old)

OUTAGE = ["outage.checkpoint", "outage.baseline", "outage.stop-old", "outage.check-stopped", "outage.pg-upgrade",
          "outage.start-new", "outage.wait-ready", "post.analyze-missing", "post.update-extensions",
          "post.verify-snapshot", "post.verify"]

def outage_steps(plan_path):
    """The steps the plan marks as in the outage, in order (as pgmigrate status reads them)."""
    try:
        plan = json.load(open(plan_path))
    except FileNotFoundError:
        return [s for s in OUTAGE if s != "post.verify-snapshot"]
    return [s["id"] for p in plan["phases"] for s in p["steps"] if s.get("inOutage")]

# each row: its directory, then the columns of a.tsv / b.tsv
a_rows = [[d] + l.rstrip("\n").split("\t") for d in dirs for l in open(f"{d}/a.tsv")]
b_rows = [[d] + l.rstrip("\n").split("\t") for d in dirs for l in open(f"{d}/b.tsv")]
fig = {k: [] for k in ["a_timed", "a_probe", "a_stop", "a_upgrade", "a_start", "a_rest", "a_load",
                       "b_pgm", "b_probe", "b_down", "b_exec", "b_rest", "b_rest_probe", "b_load"] + OUTAGE}
for r in a_rows:
    res, r = r[0], r[1:]
    t0, t1, t2, t3 = map(float, r[2:6])
    fig["a_timed"].append(t3 - t0); fig["a_stop"].append(t1 - t0)
    fig["a_upgrade"].append(t2 - t1); fig["a_start"].append(t3 - t2)
    fig["a_rest"].append((t3 - t0) - (t2 - t1))
    fig["a_probe"].append(probe_outage(f"{res}/a{r[1]}.probe"))
    fig["a_load"].append(float(r[6].split()[0]))
for r in b_rows:
    res, r = r[0], r[1:]
    started, finished = journal(f"{res}/b{r[1]}.journal.jsonl")
    inside = outage_steps(f"{res}/b{r[1]}.plan.json")
    pgm = finished[inside[-1]] - started[inside[0]]
    upgrade = finished["outage.pg-upgrade"] - started["outage.pg-upgrade"]
    fig["b_pgm"].append(pgm)
    fig["b_down"].append(finished["outage.wait-ready"] - started["outage.stop-old"])
    fig["b_exec"].append(float(r[3]) - float(r[2]))
    probe = probe_outage(f"{res}/b{r[1]}.probe")
    fig["b_probe"].append(probe)
    fig["b_rest"].append(pgm - upgrade)
    fig["b_rest_probe"].append(None if probe is None else probe - upgrade)
    fig["b_load"].append(float(r[4].split()[0]))
    for s in OUTAGE:
        # wall time from the step's start entry to its finish entry; None when the plan has no such step
        fig[s].append(finished[s] - started[s] if s in finished else None)
    fig.setdefault("inside", set()).update(inside)

def show(label, xs, unit=" s"):
    xs = [x for x in xs if x is not None]
    if not xs:
        print(f"  {label:60s} n/a"); return None
    med = statistics.median(xs)
    print(f"  {label:60s} median {med:6.2f}{unit}  spread {min(xs):6.2f}–{max(xs):6.2f}  runs: "
          + ", ".join(f"{x:.2f}" for x in xs))
    return med

print()
print(f"(a) by hand, {len(a_rows)} runs")
a = show("outage: pg_ctl stop started → pg_ctl start -w returned", fig["a_timed"])
ap = show("outage seen by the probe (last PG15 → first PG18)", fig["a_probe"])
show("  pg_ctl stop -m fast", fig["a_stop"])
au = show("  pg_upgrade --swap --jobs 2", fig["a_upgrade"])
show("  pg_ctl start -w", fig["a_start"])
ar = show("  everything but pg_upgrade (stop + start)", fig["a_rest"])
show("1-minute load average before the run", fig["a_load"], "  ")
print(f"(b) pgmigrate execute (swap, jobs 2), {len(b_rows)} runs")
b = show("pgmigrate's measured write outage (first → last outage step)", fig["b_pgm"])
bp = show("outage seen by the probe (last PG15 → first PG18)", fig["b_probe"])
bd = show("journal: stop-old started → wait-ready finished", fig["b_down"])
show("whole execute (pre-flight, prepare, outage, post)", fig["b_exec"])
print("  per step (journal, start → finish entry); * = outside the outage in these plans:")
for s in OUTAGE:
    show("    " + s + ("" if s in fig.get("inside", ()) else " *"), fig[s])
br = show("  pgmigrate's outage but pg_upgrade", fig["b_rest"])
brp = show("  probe outage but pg_upgrade", fig["b_rest_probe"])
show("1-minute load average before the run", fig["b_load"], "  ")
print()
if a and b:
    print(f"ratio of medians, pgmigrate measured / by hand:   {b / a:.2f}  (target ≤ 1.15: {'met' if b / a <= 1.15 else 'NOT met'})")
if ap and bp:
    print(f"ratio of medians, probe (b) / probe (a):          {bp / ap:.2f}  (target ≤ 1.15: {'met' if bp / ap <= 1.15 else 'NOT met'})")
# pg_upgrade is the same program on the same data in both variants and varies most with the machine's load:
# put the median pg_upgrade time of all runs under each variant's own fixed part
u = statistics.median(fig["a_upgrade"] + fig["outage.pg-upgrade"])
if ar is not None and br is not None:
    print(f"noise-adjusted (pg_upgrade = {u:.2f} s, the median of all runs, plus each variant's median rest):")
    print(f"  pgmigrate measured {u + br:.2f} s / by hand {u + ar:.2f} s = {(u + br) / (u + ar):.2f}")
    if brp is not None:
        print(f"  probe              {u + brp:.2f} s / by hand {u + ar:.2f} s = {(u + brp) / (u + ar):.2f}")
PY
}
if [ "${1:-}" = "--report" ]; then shift; report "$@"; exit 0; fi
. "$root/scripts/lib/cluster.sh"
[ "$(id -u)" -eq 0 ] || { echo "run as root (the clusters run as the postgres OS user)" >&2; exit 2; }
pgm_load_toolchain "$root"
pairs=${1:-3}
scale=${BENCH_SCALE:-50}
tables=${BENCH_TABLES:-2000}
analyze=${BENCH_ANALYZE:-1}
name=outage-bench
old_bin=$PGMIGRATE_PG15_BIN
new_bin=$PGMIGRATE_PG18_BIN
work=$(mktemp -d /tmp/pgm-outage-XXXX)
chown postgres: "$work"; chmod 755 "$work"
run="$work/run"            # every run's clusters live here (same paths and ports each time)
seed="$work/seed"          # the stopped seed data directory
res="${BENCH_OUT:-$work/results}"
mkdir -p "$res"
port=$(pgm_free_port); tport=$(pgm_free_port)
probe_pid=""

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }
as_pg() { runuser -u postgres -- "$@"; }

# Stops whatever runs in $run: pgmigrate's detached programs (by their recorded process group), then any
# postmaster of the old or new data directory (pg_ctl, else its pid from postmaster.pid).
stop_everything() { pgm_stop_upgrade_run "$run" "$name" "$old_bin" "$new_bin"; }

stop_probe() {
  if [ -n "$probe_pid" ]; then
    touch "$work/probe.stop"
    wait "$probe_pid" 2>/dev/null || true
    probe_pid=""
  fi
}

cleanup() {
  stop_probe
  stop_everything
  if [ -d "$seed" ] && [ -f "$seed/postmaster.pid" ]; then
    as_pg "$old_bin/pg_ctl" -D "$seed" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# probe LOG: every 50 ms, one TCP connection to the original port; one line "START END RESULT" per attempt
# (RESULT: server_version_num, or x when the connection or query failed). Stops when $work/probe.stop exists.
start_probe() {
  local out="$1"
  rm -f "$work/probe.stop"
  (
    while [ ! -e "$work/probe.stop" ]; do
      t0=$EPOCHREALTIME
      v=$(PGCONNECT_TIMEOUT=1 "$new_bin/psql" -X -A -t -h 127.0.0.1 -p "$port" -U postgres -d postgres \
            -c 'SHOW server_version_num' 2>/dev/null) || v=x
      echo "$t0 $EPOCHREALTIME ${v:-x}" >> "$out"
      sleep 0.05
    done
  ) &
  probe_pid=$!
}

# A fresh copy of the seed in $run/data, started on $port.
fresh_old_cluster() {
  stop_everything
  rm -rf "$run"
  mkdir -p "$run"; chown postgres: "$run"; chmod 755 "$run"
  cp -a "$seed" "$run/data"
  sync
  as_pg "$old_bin/pg_ctl" -D "$run/data" -l "$run/server15.log" -w -t 120 start >/dev/null
}

stop_new_cluster() {
  as_pg "$new_bin/pg_ctl" -D "$run/data18" -m fast -w -t 120 stop >/dev/null
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# ---- the seed cluster ------------------------------------------------------------------------------------
log "seed: PostgreSQL 15 cluster, pgbench -i -s $scale and $tables small tables (a few minutes) in $work"
pgm_new_cluster "$run" "$old_bin" "$port"
psql=("$old_bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1)
pgm_seed_bench "$old_bin" "$port" "$scale" "$tables" "$analyze"
size=$("${psql[@]}" -A -t -d bench -c "SELECT pg_size_pretty(pg_database_size('bench'))")
rels=$("${psql[@]}" -A -t -d bench -c "SELECT count(*) FROM pg_class WHERE relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace, 'pg_toast'::regnamespace)")
as_pg "$old_bin/pg_ctl" -D "$run/data" -m fast -w stop >/dev/null
mv "$run/data" "$seed"
log "seed: database bench $size, $rels relations; ports $port (original) and $tport (pg_upgrade's new cluster)"
(cd "$root" && [ -f target/pgmigrate.jar ] || mvn -B -q -o -DskipTests package)
pgm=(java -jar "$root/target/pgmigrate.jar")

# ---- (a) by hand -------------------------------------------------------------------------------------------
by_hand() {
  local n="$1" t0 t1 t2 t3 la
  fresh_old_cluster
  # outside the timed window, as pgmigrate's prepare phase: initdb with the flags pg_upgrade needs, the old
  # cluster's settings (the same lines pgm_new_cluster wrote, port = the original port) and pg_hba.conf
  as_pg "$new_bin/initdb" -D "$run/data18" --username=postgres --encoding=UTF8 --locale-provider=libc \
    --lc-collate=C.UTF-8 --lc-ctype=C.UTF-8 --no-data-checksums >/dev/null
  cat >> "$run/data18/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$run'
max_prepared_transactions = 10
shared_buffers = 128MB
fsync = off
CONF
  cp "$run/data/pg_hba.conf" "$run/data18/pg_hba.conf"
  as_pg mkdir -m 0700 "$run/pgu"
  sleep 2
  la=$(loadavg)
  start_probe "$res/a$n.probe"
  sleep 1
  t0=$EPOCHREALTIME
  as_pg "$old_bin/pg_ctl" stop -D "$run/data" -m fast -w -t 600 >/dev/null
  t1=$EPOCHREALTIME
  (cd "$run/pgu" && as_pg "$new_bin/pg_upgrade" --old-datadir="$run/data" --new-datadir="$run/data18" \
     --old-bindir="$old_bin" --new-bindir="$new_bin" --old-port="$port" --new-port="$tport" \
     --username=postgres --socketdir="$run/pgu" --jobs=2 --swap > "$res/a$n.pg_upgrade.out" 2>&1) \
     || { tail -n 20 "$res/a$n.pg_upgrade.out" >&2; exit 1; }
  t2=$EPOCHREALTIME
  as_pg "$new_bin/pg_ctl" start -D "$run/data18" -w -t 600 -l "$run/pgu/postgresql-18.log" >/dev/null
  t3=$EPOCHREALTIME
  sleep 1
  stop_probe
  stop_new_cluster
  printf 'a\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$t0" "$t1" "$t2" "$t3" "$la" "$(loadavg)" >> "$res/a.tsv"
  log "a$n by hand: $(echo "$t3 - $t0" | bc) s (stop $(echo "$t1 - $t0" | bc), pg_upgrade $(echo "$t2 - $t1" | bc), start $(echo "$t3 - $t2" | bc)); load before $la"
}

# ---- (b) pgmigrate execute ---------------------------------------------------------------------------------
with_pgmigrate() {
  local n="$1" rc la t0 t1
  fresh_old_cluster
  pgm_inventory "$run/pgmigrate.yaml" "$name" "$run" "$port" "$tport" swap
  set +e
  "${pgm[@]}" plan --no-rehearsal -i "$run/pgmigrate.yaml" -o "$run/plans" > "$res/b$n.plan.out" 2>&1
  rc=$?
  set -e
  [ "$rc" -eq 0 ] || { tail -n 20 "$res/b$n.plan.out" >&2; echo "plan exited $rc" >&2; exit 1; }
  sleep 2
  la=$(loadavg)
  start_probe "$res/b$n.probe"
  sleep 1
  t0=$EPOCHREALTIME
  set +e
  "${pgm[@]}" execute -i "$run/pgmigrate.yaml" "$run/plans/$name.plan.json" > "$res/b$n.execute.out" 2>&1
  rc=$?
  set -e
  t1=$EPOCHREALTIME
  sleep 1
  stop_probe
  cp "$run/plans/$name.journal.jsonl" "$res/b$n.journal.jsonl"
  cp "$run/plans/$name.plan.json" "$res/b$n.plan.json"
  [ "$rc" -eq 0 ] || { tail -n 20 "$res/b$n.execute.out" >&2; echo "execute exited $rc" >&2; exit 1; }
  "${pgm[@]}" status "$run/plans/$name.plan.json" | head -n 1 > "$res/b$n.status"
  stop_new_cluster
  printf 'b\t%d\t%s\t%s\t%s\t%s\n' "$n" "$t0" "$t1" "$la" "$(loadavg)" >> "$res/b.tsv"
  log "b$n pgmigrate: execute $(echo "$t1 - $t0" | bc) s in all; $(grep -o 'measured write outage [^(]*' "$res/b$n.status"); load before $la"
}

log "load average before: $(loadavg) (uptime: $(uptime))"
for n in $(seq 1 "$pairs"); do
  by_hand "$n"
  with_pgmigrate "$n"
done
log "load average after: $(loadavg)"

# ---- figures ------------------------------------------------------------------------------------------------
report "$res"
