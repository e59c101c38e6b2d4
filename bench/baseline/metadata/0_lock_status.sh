val=$(curl -fsS "http://127.0.0.1:${HEALTH_PORT:-8080}/metrics" 2>/dev/null |
  awk '/^claude_code_self_hosted_runner_locked_account[[:space:]]/ {print $2; exit}')
if [ "$val" = "1" ]; then printf 'locked'; else printf 'unlocked'; fi
