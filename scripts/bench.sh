#!/usr/bin/env bash
# `npm run bench`: sets up what is missing, then measures and writes bench/RESULTS.md.
# `npm run bench -- --quick` (CI): a short pass that checks the harness and writes nothing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
for tool in curl jq; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && apt-get install -y -qq curl jq >/dev/null
    else
      echo "bench: the baseline needs $tool; install curl and jq" >&2
      exit 1
    fi
  fi
done
node scripts/build-bundle.mjs --check
exec npx --no-install tsx bench/run.ts "$@"
