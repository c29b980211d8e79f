#!/usr/bin/env bash
# Benchmark (issue #15): a 3-member Patroni 3.0.2 cluster of PostgreSQL 15 (pgbench scale 50, etcd on a host of its
# own), each member on a test host of its own, taken in place to 18 with --link (replicas rsynced): write outage and
# the time Patroni could not fail over, for pgmigrate execute and for the by-hand procedure of
# docs/patroni-upgrade-notes.md, measured in the same run (io.pgmigrate.bench.PatroniBench).
#
# Usage: bench/patroni.sh [RUNS]        (default 1; each run does both, each on fresh hosts)
#   BENCH_SCALE=50                       pgbench scale of the primary
# Needs root, scripts/toolchain.sh to have run once (Docker's engine, the test hosts' image) and a built project.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. bench/lib.sh
bench_hosts PatroniBench bench-patroni.tsv "${1:-1}"
