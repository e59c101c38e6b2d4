#!/usr/bin/env bash
# Baseline for the benchmarks: the steps of the registry module's run.sh
# (coder-labs/claude-self-hosted-runner), re-implemented in bash to drive the same stand-in
# runner: secret file, wrapper, optional askpass, docker socket fix, a bash supervisor that
# runs the runner in the foreground and curls the delete build once it exits, detached with
# setsid nohup. Paths come from the environment instead of Terraform's template.
#   RUNNER_BINARY_PATH, CLAUDE_BINARY_PATH, plus the coder_env variables.
set -euo pipefail

if [ -z "${CLAUDE_POOL_SECRET:-}" ]; then
  echo "CLAUDE_POOL_SECRET is empty"
  exit 1
fi
install -d -m 0700 "$HOME/.claude"

if [ -n "${GIT_BOT_TOKEN:-}" ]; then
  install -d -m 0700 "$HOME/.git-creds"
  printf '#!/bin/sh\nprintf "%%s" "$GIT_BOT_TOKEN"\n' >"$HOME/.git-creds/askpass.sh"
  chmod 0500 "$HOME/.git-creds/askpass.sh"
  git config --global core.askPass "$HOME/.git-creds/askpass.sh"
fi

if [ -S /var/run/docker.sock ]; then
  sock_gid=$(stat -c %g /var/run/docker.sock)
  docker_gid=$(getent group docker | cut -d: -f3 || true)
  if [ -n "$docker_gid" ] && [ "$sock_gid" != "$docker_gid" ]; then
    sudo chgrp "$docker_gid" /var/run/docker.sock 2>/dev/null || true
  fi
fi

secret_file="$HOME/.claude/pool-secret"
rm -f "$secret_file"
(umask 077 && printf '%s' "$CLAUDE_POOL_SECRET" >"$secret_file")
chmod 0400 "$secret_file"

wrapper="$HOME/.claude/wrapper.sh"
printf '#!/bin/bash\nexec %s "$@" --permission-mode bypassPermissions\n' "$CLAUDE_BINARY_PATH" >"$wrapper"
chmod 0755 "$wrapper"

supervisor="$HOME/.claude/supervisor.sh"
cat >"$supervisor" <<SUPERVISOR
#!/usr/bin/env bash
set -uo pipefail
exec >>"\$HOME/.claude/supervisor.log" 2>&1
"$RUNNER_BINARY_PATH" self-hosted-runner \\
  --pool-secret-file "\$HOME/.claude/pool-secret" \\
  --capacity "\${CLAUDE_CAPACITY:-1}" \\
  --log-file "\$HOME/.claude/runner.log" \\
  --exec-path "\$HOME/.claude/wrapper.sh" \\
  --health-port "\${HEALTH_PORT:-8080}"
[ -n "\${CODER_SELF_TOKEN:-}" ] || exit 0
curl -s -o /dev/null -X POST -H "Coder-Session-Token: \$CODER_SELF_TOKEN" \\
  -H "Content-Type: application/json" -d '{"transition":"delete"}' \\
  "\$CODER_AGENT_URL/api/v2/workspaces/\$CODER_WORKSPACE_ID/builds"
SUPERVISOR
chmod 0700 "$supervisor"

setsid nohup "$supervisor" </dev/null >/dev/null 2>&1 &
echo "Runner spawned as detached supervisor (pid=$!)."
