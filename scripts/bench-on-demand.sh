#!/usr/bin/env bash
# `npm run bench:on-demand`: the on-demand mode measured on the real Coder server of tests/coder
# (bench/on-demand/run.ts), inside a network namespace that has only loopback (`unshare --net`),
# as scripts/test-coder.sh runs its tests; it writes its section of bench/RESULTS.md. Needs root.
# Usage: scripts/bench-on-demand.sh [--requests N] [--no-limit-pass]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

[ "$(id -u)" -eq 0 ] || {
  echo "bench:on-demand: needs root (a loopback-only network namespace, PostgreSQL and the agent under users of their own)" >&2
  exit 1
}
bash scripts/setup.sh
bash scripts/package-module.sh
node scripts/build-bundle.mjs --check
exec unshare --net -- sh -c 'ip link set lo up && exec npx --no-install tsx bench/on-demand/run.ts "$@"' sh "$@"
