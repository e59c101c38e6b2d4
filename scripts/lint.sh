#!/usr/bin/env bash
# Lint and format checks: ESLint, Prettier, terraform fmt.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
npx --no-install eslint .
npx --no-install prettier --check .
# Our Terraform only: node_modules holds .tf fixtures of other packages.
bash scripts/tf.sh fmt -check -recursive -diff main.tf variables.tf outputs.tf script-inputs.tf tests examples orchestrator modules
echo "lint: clean"
