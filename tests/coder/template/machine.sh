#!/bin/sh
# The test template's "machine": a process tree on the test host instead of a container.
#   machine.sh start   runs the agent's own init script (it downloads the agent binary from the
#                      server and execs `coder agent`) as $AGENT_USER, detached, with HOME and
#                      TMPDIR inside the workspace's directory $DIR.
#   machine.sh stop    stops it as a container stop would: SIGTERM to the agent, which runs the
#                      workspace's stop scripts and exits; then every process left from this
#                      workspace is killed, as the container's end would kill it.
set -eu
: "${DIR:?}"

leftovers() {
  # Processes that carry this workspace's marker in their environment.
  for environ in /proc/[0-9]*/environ; do
    pid=${environ#/proc/}
    pid=${pid%/environ}
    [ "$pid" != "$$" ] || continue
    if tr '\0' '\n' <"$environ" 2>/dev/null | grep -qxF "CSR_CODER_WORKSPACE_DIR=$DIR"; then
      echo "$pid"
    fi
  done
}

case "$1" in
start)
  mkdir -p "$DIR/home" "$DIR/tmp"
  if [ -n "${AGENT_USER:-}" ]; then
    chown "$AGENT_USER:" "$DIR" "$DIR/home" "$DIR/tmp"
    as_user="setpriv --reuid=$AGENT_USER --regid=$AGENT_USER --init-groups"
  else
    as_user=""
  fi
  cd "$DIR"
  # shellcheck disable=SC2086 # as_user is a command prefix
  env -i \
    PATH=/usr/local/bin:/usr/bin:/bin \
    HOME="$DIR/home" \
    TMPDIR="$DIR/tmp" \
    CSR_CODER_WORKSPACE_DIR="$DIR" \
    CODER_AGENT_TOKEN="$CODER_AGENT_TOKEN" \
    INIT_SCRIPT="$INIT_SCRIPT" \
    STANDIN_SCENARIOS="$STANDIN_SCENARIOS" \
    STANDIN_DRAIN_AFTER_MS="$STANDIN_DRAIN_AFTER_MS" \
    STANDIN_SESSION_SEC=0.5 \
    STANDIN_EVENTS="$DIR/events.jsonl" \
    STANDIN_COUNTER="$DIR/runs" \
    STANDIN_CLAUDE_RECORD="$DIR/claude-record.txt" \
    setsid $as_user sh -c 'echo "$$" >"$CSR_CODER_WORKSPACE_DIR/agent.pid"; exec sh -c "$INIT_SCRIPT"' \
    </dev/null >>"$DIR/agent.log" 2>&1 &
  # The agent reads its token from the environment; the init script is the server's own.
  i=0
  while [ ! -s "$DIR/agent.pid" ] && [ "$i" -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
  done
  echo "machine: agent started (pid $(cat "$DIR/agent.pid" 2>/dev/null || echo '?'))"
  ;;
stop)
  if pid=$(cat "$DIR/agent.pid" 2>/dev/null) && kill -TERM "$pid" 2>/dev/null; then
    # The agent runs the stop scripts (their timeout is the module's drain budget plus 30 s).
    i=0
    while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 1500 ]; do
      sleep 0.2
      i=$((i + 1))
    done
    kill -KILL "$pid" 2>/dev/null || true
    echo "machine: agent $pid stopped after about $((i / 5)) s"
  fi
  rm -f "$DIR/agent.pid"
  for pid in $(leftovers); do
    kill -KILL "$pid" 2>/dev/null && echo "machine: killed leftover process $pid" || true
  done
  ;;
*)
  echo "usage: machine.sh start|stop" >&2
  exit 2
  ;;
esac
