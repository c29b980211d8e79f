#!/usr/bin/env bash
# Benchmark (issue #15): a PostgreSQL 15 primary (pgbench scale 50) with two streaming standbys, each on a test host
# of its own, taken in place to 18: write outage and time until highly available, for pgmigrate --swap (standbys
# re-created with pg_basebackup) and --link (standbys rsynced), against the same procedures done by hand with
# PostgreSQL's documented commands, measured in the same run (io.pgmigrate.bench.StandbysBench).
#
# Usage: bench/standbys.sh [RUNS]        (default 1; each run does all four, each on fresh hosts)
#   BENCH_SCALE=50                       pgbench scale of the primary
# Needs root, scripts/toolchain.sh to have run once (Docker's engine, the test hosts' image) and a built project.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. bench/lib.sh
bench_hosts StandbysBench bench-standbys.tsv "${1:-1}"
