curl -fsS "http://127.0.0.1:${HEALTH_PORT:-8080}/healthz" 2>/dev/null | jq -r '.runner_id // "(starting)"'
