locals {
  # The metadata scripts only read the small files that the supervisor keeps in
  # <state_dir>/items (no curl, no jq, no node per poll) and print `?` when none exists yet.
  items_dir = var.state_dir == null ? "\"$HOME/.claude/self-hosted-runner/items\"" : "'${replace("${var.state_dir}/items", local.quote, local.quoted_quote)}'"
  lock_file = var.state_dir == null ? "\"$HOME/.claude/self-hosted-runner/supervisor.lock\"" : "'${replace("${var.state_dir}/supervisor.lock", local.quote, local.quoted_quote)}'"

  read_item = { for key in ["0_lock_status", "1_active_sessions", "2_runner_id", "3_last_poll", "5_restarts", "6_last_error"] :
    # Shell builtins only (no cat): one `sh` per poll and nothing more.
    key => "{ IFS= read -r v || [ -n \"$v\" ]; } 2>/dev/null <${local.items_dir}/${key} && printf '%s' \"$v\" || printf '?'"
  }

  read_supervisor_state = templatefile("${path.module}/module/supervisor-state.sh.tftpl", {
    items_dir = local.items_dir
    lock_file = local.lock_file
  })

  metadata_order = var.order == null ? [null, null, null, null, null, null, null] : [for i in range(7) : var.order + i]
}

output "agent_metadata" {
  description = "Four agent metadata items (lock status, active sessions, runner ID, last Anthropic poll) to splat into a `dynamic \"metadata\"` block of the template's coder_agent."
  value = [
    {
      display_name = "Lock status"
      key          = "0_lock_status"
      interval     = 10
      timeout      = 5
      order        = local.metadata_order[0]
      script       = local.read_item["0_lock_status"]
    },
    {
      display_name = "Active sessions"
      key          = "1_active_sessions"
      interval     = 5
      timeout      = 5
      order        = local.metadata_order[1]
      script       = local.read_item["1_active_sessions"]
    },
    {
      display_name = "Runner ID"
      key          = "2_runner_id"
      interval     = 30
      timeout      = 5
      order        = local.metadata_order[2]
      script       = local.read_item["2_runner_id"]
    },
    {
      display_name = "Last Anthropic poll"
      key          = "3_last_poll"
      interval     = 15
      timeout      = 5
      order        = local.metadata_order[3]
      script       = local.read_item["3_last_poll"]
    },
  ]
}

output "supervisor_metadata" {
  description = "Three more agent metadata items from the supervisor (state with its reason, runner restarts, last error), in the same shape as agent_metadata."
  value = [
    {
      display_name = "Runner supervisor"
      key          = "4_supervisor_state"
      interval     = 10
      timeout      = 5
      order        = local.metadata_order[4]
      script       = local.read_supervisor_state
    },
    {
      display_name = "Runner restarts"
      key          = "5_restarts"
      interval     = 30
      timeout      = 5
      order        = local.metadata_order[5]
      script       = local.read_item["5_restarts"]
    },
    {
      display_name = "Runner last error"
      key          = "6_last_error"
      interval     = 30
      timeout      = 5
      order        = local.metadata_order[6]
      script       = local.read_item["6_last_error"]
    },
  ]
}
