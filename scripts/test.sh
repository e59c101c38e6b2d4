#!/usr/bin/env bash
# Every test: sets up what is missing (npm dependencies, the coder provider built from source,
# a Terraform CLI), checks that every generated file is fresh, runs the TypeScript tests
# (unit and integration, against the bundle) and `terraform test` against the real provider.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash scripts/setup.sh
# Every generated file (the bundle, variables.tf, main.tf's regions, README's inputs table, the
# CDKTF bindings) must be what its source generates.
npx --no-install tsx scripts/generate/index.ts --check

mkdir -p .cache
vitest_status=0
npx --no-install vitest run --reporter=default --reporter=json --outputFile=.cache/vitest.json || vitest_status=$?

# `terraform test` of each module: the runner's (the root) and the orchestrator's (orchestrator/).
tf_status=0
: >.cache/terraform-test.log
for module in . orchestrator; do
  log="$root/.cache/terraform-test-$(basename "$(cd "$module" && pwd)").log"
  if ! (cd "$module" && bash "$root/scripts/tf.sh" init -input=false -no-color >"$log.init" 2>&1); then
    cat "$log.init" >&2
    tf_status=1
    continue
  fi
  (cd "$module" && bash "$root/scripts/tf.sh" test -no-color 2>&1) | tee "$log" || tf_status=1
  # tee hides terraform's status: read the summary it prints.
  grep -Eq '^Success! [0-9]+ passed, 0 failed' "$log" || tf_status=1
  cat "$log" >>.cache/terraform-test.log
done

summary="$(node -e '
const fs = require("fs");
const v = JSON.parse(fs.readFileSync(".cache/vitest.json", "utf8"));
let tfPassed = 0, tfFailed = 0;
try {
  for (const m of fs.readFileSync(".cache/terraform-test.log", "utf8").matchAll(/(\d+) passed, (\d+) failed/g)) {
    tfPassed += Number(m[1]); tfFailed += Number(m[2]);
  }
} catch {}
const failed = v.numFailedTests + tfFailed + (v.numFailedTestSuites > 0 && v.numFailedTests === 0 ? 1 : 0);
console.log(`typescript ${v.numPassedTests}/${v.numTotalTests}, terraform ${tfPassed}/${tfPassed + tfFailed}`);
console.log(`tests: ${v.numPassedTests + tfPassed} passed, ${failed} failed`);
' 2>/dev/null || echo "tests: 0 passed, 1 failed")"
echo "$summary"
if [ "$vitest_status" -ne 0 ] || [ "$tf_status" -ne 0 ]; then
  exit 1
fi
