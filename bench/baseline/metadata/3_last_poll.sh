age=$(curl -fsS "http://127.0.0.1:${HEALTH_PORT:-8080}/healthz" 2>/dev/null | jq -r '.last_poll_age_ms // empty')
if [ -z "$age" ]; then echo '?'; exit 0; fi
if [ "$age" -lt 30000 ]; then printf 'ok (%sms ago)' "$age"; else printf 'stale (%ss ago)' $((age / 1000)); fi
