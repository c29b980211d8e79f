#!/usr/bin/env bash
# The project's test command: makes the toolchain exist (PostgreSQL 13, 15, 18 and, when fetchable, 17; sshd; pgbouncer;
# Docker's engine and debootstrap), starts Docker's engine when none runs (and stops it afterwards), builds the test
# hosts' image when its recipe changed, then runs unit tests (*Test) and integration tests (*IT) against real servers,
# some of them on test hosts of their own (containers).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/toolchain.sh >/dev/null
bash scripts/docker-engine.sh start
trap 'bash scripts/docker-engine.sh stop' EXIT
image_line=$(bash scripts/test-hosts.sh)
export "${image_line?}"
mvn -B -ntp verify "$@"
