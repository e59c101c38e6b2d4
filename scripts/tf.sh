#!/usr/bin/env bash
# Runs the project's Terraform CLI with the generated CLI config (offline provider mirror).
# Usage: scripts/tf.sh <terraform arguments>   (runs in the current directory)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -x "$root/.cache/tools/terraform" ] || [ ! -f "$root/.cache/terraform/cli.tfrc" ]; then
  bash "$root/scripts/setup.sh"
fi
export TF_CLI_CONFIG_FILE="$root/.cache/terraform/cli.tfrc"
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
exec "$root/.cache/tools/terraform" "$@"
