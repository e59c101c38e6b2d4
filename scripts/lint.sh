#!/usr/bin/env bash
# Lint and format checks: ESLint, Prettier, terraform fmt.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
npx --no-install eslint .
npx --no-install prettier --check .
bash scripts/tf.sh fmt -check -recursive -diff .
echo "lint: clean"
