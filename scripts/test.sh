#!/usr/bin/env bash
# The project's test command: makes the toolchain exist (PostgreSQL 13, 15, 18 and, when fetchable, 17; sshd; pgbouncer),
# then runs unit tests (*Test) and integration tests (*IT) against real servers.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/toolchain.sh >/dev/null
exec mvn -B -ntp verify "$@"
