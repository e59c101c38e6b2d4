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

tf_status=0
bash scripts/tf.sh init -input=false -no-color >.cache/terraform-init.log 2>&1 || {
  cat .cache/terraform-init.log >&2
  tf_status=1
}
if [ "$tf_status" -eq 0 ]; then
  bash scripts/tf.sh test -no-color 2>&1 | tee .cache/terraform-test.log || tf_status=$?
  # tee hides terraform's status: read the summary it prints.
  grep -Eq '^Success! [0-9]+ passed, 0 failed' .cache/terraform-test.log || tf_status=1
fi

summary="$(node -e '
const fs = require("fs");
const v = JSON.parse(fs.readFileSync(".cache/vitest.json", "utf8"));
let tfPassed = 0, tfFailed = 0;
try {
  const m = /(\d+) passed, (\d+) failed/.exec(fs.readFileSync(".cache/terraform-test.log", "utf8"));
  if (m) { tfPassed = Number(m[1]); tfFailed = Number(m[2]); }
} catch {}
const failed = v.numFailedTests + tfFailed + (v.numFailedTestSuites > 0 && v.numFailedTests === 0 ? 1 : 0);
console.log(`typescript ${v.numPassedTests}/${v.numTotalTests}, terraform ${tfPassed}/${tfPassed + tfFailed}`);
console.log(`tests: ${v.numPassedTests + tfPassed} passed, ${failed} failed`);
' 2>/dev/null || echo "tests: 0 passed, 1 failed")"
echo "$summary"
if [ "$vitest_status" -ne 0 ] || [ "$tf_status" -ne 0 ]; then
  exit 1
fi
