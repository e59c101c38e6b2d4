active=$(curl -fsS "http://127.0.0.1:${HEALTH_PORT:-8080}/healthz" 2>/dev/null | jq -r '.active_sessions // empty')
if [ -z "$active" ]; then echo '?'; exit 0; fi
printf '%s / %s' "$active" "${CLAUDE_CAPACITY:-1}"
