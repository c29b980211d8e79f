#!/usr/bin/env bash
# Makes everything pgmigrate's tests and demo need exist on a Debian 12 machine, idempotently:
#   PostgreSQL 15 (Debian package), PostgreSQL 18 (built from Debian's own source package of a
#   newer suite, cached), OpenSSH server, pgbouncer.
# The system's apt sources are never rewritten: PostgreSQL 18's source is fetched with a private
# apt configuration under the cache directory.
# Prints KEY=VALUE lines saying where each part is, and writes them to $PGMIGRATE_CACHE/toolchain.env.
#
# Usage: scripts/toolchain.sh            # install/build what is missing, print locations
#        PGMIGRATE_CACHE=/path scripts/toolchain.sh
set -euo pipefail

CACHE=${PGMIGRATE_CACHE:-/var/cache/pgmigrate}
PG18_PREFIX="$CACHE/pg18"
PG15_BIN=/usr/lib/postgresql/15/bin
log() { printf 'toolchain: %s\n' "$*" >&2; }
die() { printf 'toolchain: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (it installs Debian packages); tests then run PostgreSQL as the postgres user"
command -v apt-get >/dev/null || die "apt-get not found: this script supports Debian 12 only"

BUILD_DEPS=(build-essential bison flex libssl-dev zlib1g-dev libicu-dev libreadline-dev pkg-config
            liblz4-dev libzstd-dev libxml2-dev libxslt1-dev uuid-dev)
PACKAGES=(postgresql-15 postgresql-client-15 openssh-server openssh-client pgbouncer sudo
          ca-certificates "${BUILD_DEPS[@]}")

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's postgresql package may have created and started a 'main' cluster on 5432; we leave it alone.
id postgres >/dev/null 2>&1 || die "the postgres OS user does not exist after installing postgresql-15"

build_pg18() {
  local apt_root="$CACHE/apt" src_root="$CACHE/src"
  mkdir -p "$apt_root/lists/partial" "$apt_root/cache/archives/partial" "$src_root"
  # Take the mirror URI from the machine's own Debian sources, never rewrite them.
  local mirror
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '$1=="deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$mirror" ] || die "no Debian mirror found in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror sid main" > "$apt_root/sources.list"
  local opts=(-o "Dir::Etc::sourcelist=$apt_root/sources.list" -o "Dir::Etc::sourceparts=/dev/null"
              -o "Dir::State::Lists=$apt_root/lists" -o "Dir::Cache=$apt_root/cache"
              -o "APT::Sandbox::User=root")
  log "fetching Debian's postgresql-18 source package (sid) with a private apt configuration"
  apt-get "${opts[@]}" -qq update
  (cd "$src_root" && apt-get "${opts[@]}" -qq source --download-only postgresql-18)
  local orig
  orig=$(ls -1 "$src_root"/postgresql-18_*.orig.tar.* 2>/dev/null | sort -V | tail -n 1)
  [ -n "$orig" ] || die "apt-get source did not download postgresql-18's orig tarball into $src_root"
  local build="$src_root/build"
  rm -rf "$build"; mkdir -p "$build"
  tar -xf "$orig" -C "$build" --strip-components=1
  log "building PostgreSQL 18 from $(basename "$orig") into $PG18_PREFIX (a few minutes)"
  (
    cd "$build"
    ./configure --prefix="$PG18_PREFIX" --with-icu --with-lz4 --with-zstd --with-libxml --with-libxslt \
      --with-uuid=e2fs --with-openssl --with-readline >"$src_root/configure.log" 2>&1 \
      || { tail -n 30 "$src_root/configure.log" >&2; exit 1; }
    make -j"$(nproc)" -s >"$src_root/make.log" 2>&1 || { tail -n 40 "$src_root/make.log" >&2; exit 1; }
    make -s install >>"$src_root/make.log" 2>&1
    make -C contrib -j"$(nproc)" -s >>"$src_root/make.log" 2>&1 || { tail -n 40 "$src_root/make.log" >&2; exit 1; }
    make -C contrib -s install >>"$src_root/make.log" 2>&1
  )
  rm -rf "$build"
  touch "$PG18_PREFIX/.complete"
}

if [ ! -f "$PG18_PREFIX/.complete" ] || ! "$PG18_PREFIX/bin/postgres" --version 2>/dev/null | grep -q ' 18'; then
  build_pg18
fi
# The postgres OS user runs these binaries: make the cache readable to it.
chmod 755 "$CACHE" "$PG18_PREFIX"

SSHD=$(command -v sshd || echo /usr/sbin/sshd)
PGBOUNCER=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
[ -x "$PG15_BIN/postgres" ] || die "PostgreSQL 15 binaries missing in $PG15_BIN"
[ -x "$SSHD" ] || die "sshd missing"
[ -x "$PGBOUNCER" ] || die "pgbouncer missing"

env_file="$CACHE/toolchain.env"
{
  echo "PGMIGRATE_PG15_BIN=$PG15_BIN"
  echo "PGMIGRATE_PG18_BIN=$PG18_PREFIX/bin"
  echo "PGMIGRATE_SSHD=$SSHD"
  echo "PGMIGRATE_PGBOUNCER=$PGBOUNCER"
} > "$env_file"
cat "$env_file"
log "PostgreSQL 15: $("$PG15_BIN/postgres" --version)"
log "PostgreSQL 18: $("$PG18_PREFIX/bin/postgres" --version)"
log "written: $env_file"
