#!/usr/bin/env bash
# Builds the test hosts' image (issue #14): a Debian 12 root filesystem made by debootstrap from the machine's own
# Debian mirror, with OpenSSH server, pgbouncer, Patroni, etcd and the libraries PostgreSQL needs, imported with
# `docker import`.
# Nothing is pulled from a registry. The PostgreSQL builds of the toolchain are not copied in: the tests bind-mount
# them read-only at the same paths, so one image serves every version.
#
# Cached: the image is tagged with a hash of this recipe and rebuilt only when the recipe changes.
# Needs root, docker.io and debootstrap (scripts/toolchain.sh installs both), and a running Docker engine.
#
# Usage: scripts/test-hosts.sh            # prints PGMIGRATE_HOST_IMAGE=pgmigrate/dbhost:<hash>
set -euo pipefail

CACHE=${PGMIGRATE_CACHE:-/var/cache/pgmigrate}
log() { printf 'test-hosts: %s\n' "$*" >&2; }
die() { printf 'test-hosts: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap and docker import need it)"
command -v debootstrap >/dev/null || die "debootstrap not found: run scripts/toolchain.sh first"
docker info >/dev/null 2>&1 || die "no Docker engine answers on /var/run/docker.sock: start dockerd (scripts/test.sh does)"

PACKAGES=openssh-server,rsync,procps,iproute2,pgbouncer,libpq5,libicu72,libxml2,libxslt1.1,libssl3,liblz4-1,libzstd1
PACKAGES=$PACKAGES,libpam0g,libsystemd0,libreadline8,libaudit1,libcap-ng0,libgcrypt20,libevent-2.1-7,libc-ares2
PACKAGES=$PACKAGES,libkrb5-3,libgssapi-krb5-2,libldap-2.5-0,libselinux1,libuuid1
# Patroni (3.0.2) with its etcd client, and etcd (3.4): the HA manager of production clusters, for issue #15's hosts
PACKAGES=$PACKAGES,patroni,python3-etcd,etcd-server,etcd-client

MIRROR=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$MIRROR" ] || MIRROR=$(awk '$1=="deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$MIRROR" ] || die "no Debian mirror found in the machine's apt sources"

# The start script of every test host: a fresh SSH host key per container, the test client's key from the
# environment, sshd in the foreground.
START_SCRIPT='#!/bin/sh
set -e
ssh-keygen -q -A
install -d -o postgres -g postgres -m 700 /var/lib/postgresql/.ssh
printf "%s\n" "$PGM_AUTHORIZED_KEY" > /var/lib/postgresql/.ssh/authorized_keys
chown postgres:postgres /var/lib/postgresql/.ssh/authorized_keys
chmod 600 /var/lib/postgresql/.ssh/authorized_keys
exec /usr/sbin/sshd -D -e
'

RECIPE_HASH=$( { cat "$0"; printf '%s' "$PACKAGES" "$MIRROR"; } | sha256sum | cut -c1-12)
IMAGE="pgmigrate/dbhost:$RECIPE_HASH"

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  log "image $IMAGE is current"
else
  work="$CACHE/images/build-$RECIPE_HASH"
  rm -rf "$work"
  mkdir -p "$work"
  log "debootstrap (minbase, bookworm, $MIRROR) into $work"
  started=$(date +%s)
  debootstrap --variant=minbase --include="$PACKAGES" bookworm "$work/rootfs" "$MIRROR" > "$work/debootstrap.log" 2>&1 \
    || die "debootstrap failed; see $work/debootstrap.log"
  rm -f "$work"/rootfs/etc/ssh/ssh_host_*
  mkdir -p "$work/rootfs/run/sshd"
  chroot "$work/rootfs" id -u postgres >/dev/null 2>&1 || chroot "$work/rootfs" useradd -m -d /var/lib/postgresql -s /bin/bash postgres
  printf '%s' "$START_SCRIPT" > "$work/rootfs/usr/local/sbin/pgm-host-start"
  chmod 755 "$work/rootfs/usr/local/sbin/pgm-host-start"
  tar -C "$work/rootfs" -c . | docker import -c 'CMD ["/usr/local/sbin/pgm-host-start"]' - "$IMAGE" >/dev/null
  rm -rf "$work"
  log "built $IMAGE in $(( $(date +%s) - started )) s"
  # images of earlier recipes are never used again
  docker images --format '{{.Repository}}:{{.Tag}}' pgmigrate/dbhost | grep -vx "$IMAGE" \
    | xargs -r docker rmi >/dev/null 2>&1 || true
fi
echo "PGMIGRATE_HOST_IMAGE=$IMAGE"
