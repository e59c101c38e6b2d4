#!/usr/bin/env bash
# The tests against a real Coder server (tests/coder/): the open-source server built from its Go
# module, Debian's PostgreSQL, the real agent running the module's rendered scripts as a
# non-root user. Everything runs inside a network namespace that has only loopback
# (`unshare --net`), so no packet leaves the machine; the fixture checks that before it starts
# anything. Needs root: for the namespace, to run PostgreSQL and the agent as their own users.
# The newest server (scripts/versions.env's CODER_SERVER_VERSION) runs all of tests/coder; each
# of CODER_SERVER_OLDER_VERSIONS runs the version suite (vitest.coder-versions.config.ts), each on
# a server of its own. CSR_CODER_VERSIONS="v2.30.0 ..." runs only those (the newest by its name);
# with vitest arguments and no CSR_CODER_VERSIONS, only the newest runs.
# Usage: [CSR_CODER_VERSIONS=...] scripts/test-coder.sh [vitest arguments, e.g. a test file filter]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

[ "$(id -u)" -eq 0 ] || {
  echo "test-coder: needs root (a loopback-only network namespace, PostgreSQL and the agent under users of their own)" >&2
  exit 1
}
bash scripts/setup.sh
bash scripts/package-module.sh
# shellcheck source=versions.env
. scripts/versions.env
# With vitest arguments (a file filter) only the newest runs; without, every version too.
older=""
if [ "$#" -eq 0 ]; then older="$CODER_SERVER_OLDER_VERSIONS"; fi
versions="${CSR_CODER_VERSIONS:-$CODER_SERVER_VERSION $older}"
mkdir -p .cache
status=0
summary=""
for version in $versions; do
  report=".cache/vitest-coder-$version.json"
  rm -f "$report"
  if [ "$version" = "$CODER_SERVER_VERSION" ]; then
    config=vitest.coder.config.ts
    export CSR_CODER_VERSION=""
  else
    config=vitest.coder-versions.config.ts
    export CSR_CODER_VERSION="$version"
  fi
  echo "test-coder: Coder $version ($config)" >&2
  started=$(date +%s)
  unshare --net -- sh -c 'ip link set lo up && config="$1" report="$2" && shift 2 && exec npx --no-install vitest run --config "$config" --reporter=default --reporter=json --outputFile="$report" "$@"' sh "$config" "$report" "$@" || status=$?
  # The same closing line as `npm test`, from vitest's own report.
  line="$(REPORT="$report" node -e '
const fs = require("fs");
let r = { numPassedTests: 0, numFailedTests: 1 };
try { r = JSON.parse(fs.readFileSync(process.env.REPORT, "utf8")); } catch {}
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);
')"
  summary="$summary
coder $version: $line in $(($(date +%s) - started)) s"
done
printf '%s\n' "${summary#?}"
exit "$status"
