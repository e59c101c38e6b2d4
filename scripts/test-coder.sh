#!/usr/bin/env bash
# The tests against a real Coder server (tests/coder/): the open-source server built from its Go
# module, Debian's PostgreSQL, the real agent running the module's rendered scripts as a
# non-root user. Everything runs inside a network namespace that has only loopback
# (`unshare --net`), so no packet leaves the machine; the fixture checks that before it starts
# anything. Needs root: for the namespace, to run PostgreSQL and the agent as their own users.
# Usage: scripts/test-coder.sh [vitest arguments, e.g. a test file filter]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

[ "$(id -u)" -eq 0 ] || {
  echo "test-coder: needs root (a loopback-only network namespace, PostgreSQL and the agent under users of their own)" >&2
  exit 1
}
bash scripts/setup.sh
bash scripts/package-module.sh
mkdir -p .cache
rm -f .cache/vitest-coder.json
status=0
unshare --net -- sh -c 'ip link set lo up && exec npx --no-install vitest run --config vitest.coder.config.ts --reporter=default --reporter=json --outputFile=.cache/vitest-coder.json "$@"' sh "$@" || status=$?
# The same closing line as `npm test`, from vitest's own report.
node -e '
const fs = require("fs");
let r = { numPassedTests: 0, numFailedTests: 1 };
try { r = JSON.parse(fs.readFileSync(".cache/vitest-coder.json", "utf8")); } catch {}
console.log(`coder: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
'
exit "$status"
