#!/usr/bin/env bash
# Starts Docker's engine for the test hosts when none answers, and stops it again only if this script started it.
#   scripts/docker-engine.sh start   # prints nothing when an engine answers (started or already running)
#   scripts/docker-engine.sh stop    # stops the engine `start` started, if any
# When the engine cannot start, one line says so (with the end of its log) and the exit status is 1.
set -euo pipefail
CACHE=${PGMIGRATE_CACHE:-/var/cache/pgmigrate}
PIDFILE="$CACHE/dockerd.started.pid"
LOG="$CACHE/dockerd.log"

answers() { docker info >/dev/null 2>&1; }

case "${1:-}" in
  start)
    answers && exit 0
    command -v dockerd >/dev/null || { echo "docker-engine: dockerd is not installed: run scripts/toolchain.sh" >&2; exit 1; }
    mkdir -p "$CACHE"
    dockerd --storage-driver=overlay2 --exec-opt native.cgroupdriver=cgroupfs > "$LOG" 2>&1 &
    echo $! > "$PIDFILE"
    for _ in $(seq 1 60); do
      answers && exit 0
      kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break
      sleep 0.5
    done
    echo "docker-engine: Docker's engine did not start (test hosts cannot run): $(tail -n 1 "$LOG" 2>/dev/null)" >&2
    exit 1
    ;;
  stop)
    [ -f "$PIDFILE" ] || exit 0
    pid=$(cat "$PIDFILE")
    rm -f "$PIDFILE"
    kill "$pid" 2>/dev/null || exit 0
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    ;;
  *)
    echo "usage: scripts/docker-engine.sh start|stop" >&2
    exit 2
    ;;
esac
