#!/usr/bin/env bash
# The project's test command: makes the toolchain exist (PostgreSQL 13, 15, 18 and, when fetchable, 17; sshd; pgbouncer;
# Docker's engine and debootstrap), starts Docker's engine when none runs (and stops it afterwards), builds the test
# hosts' image when its recipe changed, then runs unit tests (*Test) and integration tests (*IT) against real servers,
# some of them on test hosts of their own (containers). Without a Docker engine or image, one line says so and the
# tests that need test hosts are skipped.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/toolchain.sh >/dev/null
if bash scripts/docker-engine.sh start; then
  trap 'bash scripts/docker-engine.sh stop' EXIT
  if image_line=$(bash scripts/test-hosts.sh); then
    export "${image_line?}"
  else
    echo "test.sh: no test host image (see the line above): the tests on test hosts are skipped" >&2
  fi
else
  echo "test.sh: no Docker engine: the tests on test hosts are skipped" >&2
fi
mvn -B -ntp verify "$@"
