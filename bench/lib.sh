# Shared by the bench/ scripts that run a benchmark class on the test hosts: bench_hosts CLASS TSV RUNS
# runs io.pgmigrate.bench.CLASS RUNS times (BENCH_SCALE, default 50) and prints target/TSV.
bench_hosts() {
  local class=$1 tsv=$2 runs=$3
  [ "$(id -u)" -eq 0 ] || { echo "run as root (the test hosts need Docker's engine)" >&2; exit 2; }
  bash scripts/docker-engine.sh start
  export $(bash scripts/test-hosts.sh)
  rm -f "target/$tsv"
  for i in $(seq 1 "$runs"); do
    mvn -B -ntp -o -q verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test="$class" \
      -Dbench.scale="${BENCH_SCALE:-50}" -Dfailsafe.failIfNoSpecifiedTests=false >/dev/null
  done
  cat "target/$tsv"
}
