#!/usr/bin/env bash
# Idempotent set-up for the tests against a real Coder server (tests/coder/):
#  - the open-source `coder` binary (server, CLI and agent in one), built from its Go module at
#    CODER_SERVER_VERSION and at each of CODER_SERVER_OLDER_VERSIONS (scripts/versions.env) with
#    CGO_ENABLED=0 and no web UI. Each is kept in a machine-level cache,
#    ${CSR_CACHE_DIR:-$HOME/.cache/claude-self-hosted-runner}/coder/<version>/, because CI runs
#    on a fresh clone whose .cache is empty and a build takes minutes; the repository gets links
#    at .cache/tools/coder (the newest) and .cache/tools/coder-<version> (each).
#  - PostgreSQL from Debian, installed with apt-get only when no initdb is found. Coder's
#    embedded PostgreSQL downloads a binary at start, which cannot work offline.
# A second run with everything in place downloads nothing and finishes in well under a second.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=versions.env
. "$root/scripts/versions.env"
tools="$root/.cache/tools"
machine_cache="${CSR_CACHE_DIR:-$HOME/.cache/claude-self-hosted-runner}"
module="github.com/coder/coder/v2"

log() { printf 'setup-coder-server: %s\n' "$*" >&2; }
die() { printf 'setup-coder-server: error: %s\n' "$*" >&2; exit 1; }

find_initdb() {
  # Newest major first.
  # shellcheck disable=SC2012
  ls -1d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n1
}

install_postgresql() {
  if [ -n "$(find_initdb)" ]; then
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 ||
    die "no PostgreSQL found (/usr/lib/postgresql/*/bin/initdb) and no apt-get to install it; install PostgreSQL >= 13 server binaries"
  [ "$(id -u)" -eq 0 ] ||
    die "no PostgreSQL found (/usr/lib/postgresql/*/bin/initdb); run as root or install the 'postgresql' package"
  log "installing Debian's postgresql (no initdb found)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2 || {
    apt-get update >&2 || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2 ||
      die "apt-get install postgresql failed"
  }
  [ -n "$(find_initdb)" ] || die "postgresql is installed but /usr/lib/postgresql/*/bin/initdb is missing"
}

# build_coder <version>: builds that version into the machine cache once.
build_coder() {
  local version="$1"
  local out_dir="$machine_cache/coder/$version"
  local bin="$out_dir/coder"
  if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "v${version#v}"; then
    return 0
  fi
  command -v go >/dev/null 2>&1 || die "go is not on PATH (the Coder server is built from its Go module)"
  log "building coder $version from its Go module (a few minutes on 2 cores; cached in $out_dir)"
  local moddir src
  # The checksum database may not know every version the proxy serves; the go.sum inside the
  # module still pins its dependencies.
  moddir="$(GONOSUMDB="$module" GOFLAGS=-mod=mod go mod download -json "$module@$version" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}console.log(j.Dir)})')" ||
    die "could not download $module@$version (is the Go module proxy reachable, or the module in the module cache?)"
  mkdir -p "$out_dir"
  # go.mod has replace directives, so `go install module@version` refuses it: build inside a
  # writable copy of the module.
  src="$(mktemp -d)"
  cp -R "$moddir/." "$src"
  chmod -R u+w "$src"
  if ! (cd "$src" && CGO_ENABLED=0 GONOSUMDB="$module" GOFLAGS=-mod=mod \
    go build -trimpath \
    -ldflags "-s -w -X github.com/coder/coder/v2/buildinfo.tag=${version#v} -X github.com/coder/coder/v2/buildinfo.agpl=true" \
    -o "$bin.tmp" ./cmd/coder) >&2; then
    rm -rf "$src" "$bin.tmp"
    die "could not build $module@$version ./cmd/coder"
  fi
  rm -rf "$src"
  mv "$bin.tmp" "$bin"
  "$bin" --version >/dev/null 2>&1 || die "the built $bin does not run"
}

# ensure_agent_user: the tests run the Coder agent (and so the module's scripts, the supervisor
# and the runner) as this dedicated non-root user. It needs a login shell (/bin/sh): the agent
# runs scripts without a shebang, such as metadata scripts, with the user's shell.
ensure_agent_user() {
  local user="${CSR_CODER_AGENT_USER:-csr-coder-agent}"
  getent passwd "$user" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -ne 0 ]; then
    log "no user $user, and not root: tests/coder runs the agent as the current user"
    return 0
  fi
  log "creating the system user $user for the Coder agent in tests/coder"
  useradd --system --user-group --shell /bin/sh --home-dir /nonexistent --no-create-home "$user" >&2 ||
    die "could not create the user $user"
}

install_postgresql
ensure_agent_user
mkdir -p "$tools"
for version in $CODER_SERVER_VERSION $CODER_SERVER_OLDER_VERSIONS; do
  build_coder "$version"
  ln -sfn "$machine_cache/coder/$version/coder" "$tools/coder-$version"
done
ln -sfn "$machine_cache/coder/$CODER_SERVER_VERSION/coder" "$tools/coder"
log "ready: $("$tools/coder" --version 2>/dev/null | head -n1); PostgreSQL $(dirname "$(find_initdb)")"
