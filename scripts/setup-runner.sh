#!/usr/bin/env bash
# Installs the pinned real Claude Code runner (`claude self-hosted-runner`) for the tests in
# tests/runner: the npm packages @anthropic-ai/claude-code and its Linux x64 build
# @anthropic-ai/claude-code-linux-x64, which holds the `claude` binary (about 380 MB).
#
# They go into a machine-level cache, so a fresh clone on the same machine (CI clones afresh)
# does not download them again:
#   ${CSR_CACHE_DIR:-$HOME/.cache/claude-self-hosted-runner}/claude-code/<version>/
# and the binary is linked at <repo>/.cache/tools/claude-code.
# Idempotent; offline once the cache holds the version. No install scripts are run: the
# platform package ships the binary ready to run, and the main package's postinstall only copies
# it over a placeholder. This is a test tool, never a dependency of the bundle.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=versions.env
. "$root/scripts/versions.env"

log() { printf 'setup-runner: %s\n' "$*" >&2; }
die() {
  printf 'setup-runner: error: %s\n' "$*" >&2
  exit 1
}

[ -n "${CLAUDE_CODE_VERSION:-}" ] || die "CLAUDE_CODE_VERSION is not set in scripts/versions.env"
command -v npm >/dev/null 2>&1 || die "npm is not on PATH. Install Node.js >= 20.18.1 (npm ships with it)."

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) platform_package="@anthropic-ai/claude-code-linux-x64" ;;
  *) die "the real runner is installed for Linux x86_64 only; this machine is $(uname -s)/$(uname -m)" ;;
esac

cache_root="${CSR_CACHE_DIR:-${HOME:?HOME is not set}/.cache/claude-self-hosted-runner}"
dir="$cache_root/claude-code/$CLAUDE_CODE_VERSION"
binary="$dir/node_modules/$platform_package/claude"
link="$root/.cache/tools/claude-code"

# The binary answers `--version` without the network, but it is never run here unguarded:
# the version is read from the installed package.json instead.
installed_version() {
  node -e 'try{console.log(require(process.argv[1]).version)}catch{console.log("")}' \
    "$dir/node_modules/$platform_package/package.json" 2>/dev/null || true
}

if [ ! -x "$binary" ] || [ "$(installed_version)" != "$CLAUDE_CODE_VERSION" ]; then
  log "installing @anthropic-ai/claude-code@$CLAUDE_CODE_VERSION and $platform_package@$CLAUDE_CODE_VERSION (about 380 MB) into $dir"
  mkdir -p "$cache_root/claude-code" || die "cannot create $cache_root/claude-code (set CSR_CACHE_DIR to a writable directory)"
  tmp="$(mktemp -d "$cache_root/claude-code/.install-$CLAUDE_CODE_VERSION.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  # --omit=optional: the main package lists every platform build as optional; only ours is needed,
  # and it is named explicitly.
  if ! npm install --prefix "$tmp" --no-save --ignore-scripts --no-audit --no-fund --omit=optional \
    --loglevel=error \
    "@anthropic-ai/claude-code@$CLAUDE_CODE_VERSION" "$platform_package@$CLAUDE_CODE_VERSION" >&2; then
    die "npm could not install @anthropic-ai/claude-code@$CLAUDE_CODE_VERSION (is the npm registry reachable? see the npm output above)"
  fi
  [ -f "$tmp/node_modules/$platform_package/claude" ] ||
    die "$platform_package@$CLAUDE_CODE_VERSION installed, but it has no claude binary at node_modules/$platform_package/claude"
  chmod 0755 "$tmp/node_modules/$platform_package/claude"
  # Atomic swap: a half-finished install is never taken for a complete one.
  rm -rf "$dir.old"
  [ ! -e "$dir" ] || mv "$dir" "$dir.old"
  mv "$tmp" "$dir"
  trap - EXIT
  rm -rf "$dir.old"
fi

[ -x "$binary" ] || die "$binary is missing or not executable after the install"
mkdir -p "$(dirname "$link")"
ln -sfn "$binary" "$link"
log "ready: claude $CLAUDE_CODE_VERSION at $link -> $binary"
