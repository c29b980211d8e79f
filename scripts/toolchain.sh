#!/usr/bin/env bash
# Makes everything pgmigrate's tests and demo need exist on a Debian 12 machine, idempotently:
#   PostgreSQL 15 (Debian package); PostgreSQL 18 (Debian sid), 13 (Debian 11 bullseye) and, when its
#   files can be fetched, 17 (Debian 13 trixie), each built from Debian's own source package and cached
#   in $PGMIGRATE_CACHE/pgNN; OpenSSH server, pgbouncer; Docker's engine and debootstrap for the test hosts
#   (scripts/test-hosts.sh builds their image).
# The system's apt sources are never rewritten: the source packages are fetched with private apt
# configurations under $PGMIGRATE_CACHE/apt. 13 and 18 are required (a failure fails the script);
# 17 is optional (one log line says why it was skipped). See docs/toolchain.md.
# Prints KEY=VALUE lines saying where each part is, and writes them to $PGMIGRATE_CACHE/toolchain.env.
#
# Usage: scripts/toolchain.sh            # install/build what is missing, print locations
#        PGMIGRATE_CACHE=/path scripts/toolchain.sh
set -euo pipefail

CACHE=${PGMIGRATE_CACHE:-/var/cache/pgmigrate}
PG18_PREFIX="$CACHE/pg18"
PG13_PREFIX="$CACHE/pg13"
PG17_PREFIX="$CACHE/pg17"
PG15_BIN=/usr/lib/postgresql/15/bin
log() { printf 'toolchain: %s\n' "$*" >&2; }
die() { printf 'toolchain: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (it installs Debian packages); tests then run PostgreSQL as the postgres user"
command -v apt-get >/dev/null || die "apt-get not found: this script supports Debian 12 only"

BUILD_DEPS=(build-essential bison flex libssl-dev zlib1g-dev libicu-dev libreadline-dev pkg-config
            liblz4-dev libzstd-dev libxml2-dev libxslt1-dev uuid-dev)
PACKAGES=(postgresql-15 postgresql-client-15 openssh-server openssh-client pgbouncer sudo
          ca-certificates docker.io debootstrap "${BUILD_DEPS[@]}")

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

# The machine's Debian mirror and security mirror, from its own sources (never rewritten).
MIRROR=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$MIRROR" ] || MIRROR=$(awk '$1=="deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$MIRROR" ] || die "no Debian mirror found in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"
SECURITY_MIRROR=$(awk '/^URIs:/ && $2 ~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$SECURITY_MIRROR" ] || SECURITY_MIRROR=$(awk '$1=="deb" && $2 ~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$SECURITY_MIRROR" ] || SECURITY_MIRROR=http://security.debian.org/debian-security

# apt-get with a private configuration under $1 (sources.list, lists, archives), for one deb-src list.
private_apt() {
  local apt_root=$1; shift
  apt-get -o "Dir::Etc::sourcelist=$apt_root/sources.list" -o "Dir::Etc::sourceparts=/dev/null" \
    -o "Dir::State::Lists=$apt_root/lists" -o "Dir::Cache=$apt_root/cache" \
    -o "APT::Sandbox::User=root" "$@"
}

# fetch_source PACKAGE DEST "URI SUITE"...: downloads Debian's source package into DEST with a private apt
# configuration. All suites together first (apt takes the newest version); when that version's files
# cannot be fetched from the suite apt chose, each suite alone. Returns 1 when nothing could be fetched
# ($FETCH_ERR then holds apt's complaints, the first one from the attempt with all suites).
FETCH_ERR=$(mktemp)
trap 'rm -f "$FETCH_ERR"' EXIT
fetch_source() {
  local pkg=$1 dest=$2; shift 2
  local apt_root="$CACHE/apt/$pkg" try=0 line
  mkdir -p "$dest"
  : > "$FETCH_ERR"
  for choice in all "$@"; do
    local root="$apt_root/$try"
    mkdir -p "$root/lists/partial" "$root/cache/archives/partial"
    if [ "$choice" = all ]; then
      for line in "$@"; do echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $line main"; done
    else
      echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $choice main"
    fi > "$root/sources.list"
    try=$((try + 1))
    # A suite that cannot be reached is just not used; apt's complaint is kept for the error message.
    private_apt "$root" -qq update >/dev/null 2>>"$FETCH_ERR" || true
    if (cd "$dest" && private_apt "$root" -qq source --download-only "$pkg" >/dev/null 2>>"$FETCH_ERR"); then
      return 0
    fi
    [ $# -gt 1 ] || break   # with one suite, trying it alone again changes nothing
  done
  return 1
}

# source_for MAJOR "URI SUITE"...: fetches Debian's postgresql-MAJOR source package into $CACHE/src/pgMAJOR.
source_for() {
  local major=$1; shift
  log "fetching Debian's postgresql-$major source package ($(printf '%s, ' "$@" | sed 's/, $//')) with a private apt configuration"
  fetch_source "postgresql-$major" "$CACHE/src/pg$major" "$@"
}

# build_pg MAJOR PREFIX: builds the fetched postgresql-MAJOR orig tarball into PREFIX with Debian-like
# configure flags (only those the version knows); exits the script when the build fails.
build_pg() {
  local major=$1 prefix=$2
  local src_root="$CACHE/src/pg$major" orig
  orig=$(ls -1 "$src_root"/postgresql-"$major"_*.orig.tar.* 2>/dev/null | sort -V | tail -n 1)
  [ -n "$orig" ] || die "apt-get source did not download postgresql-$major's orig tarball into $src_root"
  local flags=(--prefix="$prefix" --with-icu --with-libxml --with-libxslt --with-uuid=e2fs --with-openssl --with-readline)
  if [ "$major" -ge 14 ]; then flags+=(--with-lz4); fi
  if [ "$major" -ge 15 ]; then flags+=(--with-zstd); fi
  local build="$src_root/build"
  rm -rf "$build" "$prefix"
  mkdir -p "$build"
  tar -xf "$orig" -C "$build" --strip-components=1
  log "building PostgreSQL $major from $(basename "$orig") into $prefix (a few minutes)"
  local clog="$src_root/configure.log" mlog="$src_root/make.log"
  (
    cd "$build" || exit 1
    ./configure "${flags[@]}" >"$clog" 2>&1 || { tail -n 30 "$clog" >&2; exit 1; }
    make -j"$(nproc)" -s >"$mlog" 2>&1 || { tail -n 40 "$mlog" >&2; exit 1; }
    make -s install >>"$mlog" 2>&1 || { tail -n 40 "$mlog" >&2; exit 1; }
    make -C contrib -j"$(nproc)" -s >>"$mlog" 2>&1 || { tail -n 40 "$mlog" >&2; exit 1; }
    make -C contrib -s install >>"$mlog" 2>&1 || { tail -n 40 "$mlog" >&2; exit 1; }
  ) || die "building PostgreSQL $major failed (logs: $clog, $mlog)"
  rm -rf "$build"
  touch "$prefix/.complete"
  chmod 755 "$prefix"
}

built() { [ -f "$2/.complete" ] && "$2/bin/postgres" --version 2>/dev/null | grep -q " $1\."; }

# The postgres OS user runs these binaries: make the cache readable to it.
mkdir -p "$CACHE"; chmod 755 "$CACHE"

# PostgreSQL 18 from Debian sid, 13 from Debian 11 (bullseye): required.
if ! built 18 "$PG18_PREFIX"; then
  source_for 18 "$MIRROR sid" \
    || die "could not fetch postgresql-18's source package from $MIRROR (sid): $(grep -m1 '^E:' "$FETCH_ERR")"
  build_pg 18 "$PG18_PREFIX"
fi
if ! built 13 "$PG13_PREFIX"; then
  source_for 13 "$MIRROR bullseye" "$SECURITY_MIRROR bullseye-security" \
    || die "could not fetch postgresql-13's source package from bullseye or bullseye-security: $(grep -m1 '^E:' "$FETCH_ERR")"
  build_pg 13 "$PG13_PREFIX"
fi
# PostgreSQL 17 from Debian 13 (trixie): optional; the tests that need it are skipped without it.
if ! built 17 "$PG17_PREFIX"; then
  if source_for 17 "$MIRROR trixie" "$SECURITY_MIRROR trixie-security" "$MIRROR trixie-updates"; then
    build_pg 17 "$PG17_PREFIX"
  else
    log "skipping PostgreSQL 17 (optional): its source package could not be fetched from trixie, trixie-security or trixie-updates: $(grep -m1 '^E:' "$FETCH_ERR" | sed 's/ *\[IP:[^]]*\]//')"
  fi
fi
chmod 755 "$PG18_PREFIX" "$PG13_PREFIX"

SSHD=$(command -v sshd || echo /usr/sbin/sshd)
PGBOUNCER=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
[ -x "$PG15_BIN/postgres" ] || die "PostgreSQL 15 binaries missing in $PG15_BIN"
[ -x "$SSHD" ] || die "sshd missing"
[ -x "$PGBOUNCER" ] || die "pgbouncer missing"

env_file="$CACHE/toolchain.env"
{
  echo "PGMIGRATE_PG15_BIN=$PG15_BIN"
  echo "PGMIGRATE_PG18_BIN=$PG18_PREFIX/bin"
  echo "PGMIGRATE_PG13_BIN=$PG13_PREFIX/bin"
  if built 17 "$PG17_PREFIX"; then echo "PGMIGRATE_PG17_BIN=$PG17_PREFIX/bin"; fi
  echo "PGMIGRATE_SSHD=$SSHD"
  echo "PGMIGRATE_PGBOUNCER=$PGBOUNCER"
} > "$env_file.tmp"
mv -f "$env_file.tmp" "$env_file"   # tests running meanwhile read the old file or the new one, never half of one
cat "$env_file"
log "PostgreSQL 15: $("$PG15_BIN/postgres" --version)"
log "PostgreSQL 18: $("$PG18_PREFIX/bin/postgres" --version)"
log "PostgreSQL 13: $("$PG13_PREFIX/bin/postgres" --version)"
if built 17 "$PG17_PREFIX"; then log "PostgreSQL 17: $("$PG17_PREFIX/bin/postgres" --version)"; else log "PostgreSQL 17: not built"; fi
log "written: $env_file"
