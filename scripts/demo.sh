#!/usr/bin/env bash
# The whole lifecycle locally: sets up what is missing, then runs scripts/demo.ts.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ ! -d node_modules ]; then npm ci --no-audit --no-fund; fi
exec npx --no-install tsx scripts/demo.ts
