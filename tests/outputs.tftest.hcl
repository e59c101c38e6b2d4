# The metadata outputs, applied against the real provider.

variables {
  agent_id         = "test-agent"
  workspace_id     = "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
  pool_secret      = "test-pool-secret-value"
  self_evict_token = "test-self-token-value"
}

run "agent_metadata_has_the_registry_items" {
  command = apply

  assert {
    condition     = length(output.agent_metadata) == 4
    error_message = "agent_metadata must have four items"
  }
  assert {
    condition     = [for m in output.agent_metadata : m.key] == ["0_lock_status", "1_active_sessions", "2_runner_id", "3_last_poll"]
    error_message = "agent_metadata keys must match the registry module"
  }
  assert {
    condition     = [for m in output.agent_metadata : m.display_name] == ["Lock status", "Active sessions", "Runner ID", "Last Anthropic poll"]
    error_message = "agent_metadata display names must match the registry module"
  }
  assert {
    condition     = [for m in output.agent_metadata : m.interval] == [10, 5, 30, 15] && alltrue([for m in output.agent_metadata : m.timeout == 5])
    error_message = "agent_metadata intervals and timeouts must match the registry module"
  }
  assert {
    condition     = alltrue([for m in output.agent_metadata : strcontains(m.script, "\"$${XDG_STATE_HOME:-$HOME/.local/state}/claude-self-hosted-runner\"/items/${m.key}") && strcontains(m.script, "printf '?'")])
    error_message = "each metadata script must read its item file from the default state dir and print ? without one"
  }
  assert {
    condition     = alltrue([for m in output.agent_metadata : !strcontains(m.script, "curl") && !strcontains(m.script, "jq") && !strcontains(m.script, "node")])
    error_message = "metadata scripts must only read files"
  }
  assert {
    condition     = alltrue([for m in output.agent_metadata : m.order == null])
    error_message = "without order, items leave Coder's default order"
  }
}

run "supervisor_metadata_is_a_second_list" {
  command = apply

  assert {
    condition     = [for m in output.supervisor_metadata : m.key] == ["4_supervisor_state", "5_restarts", "6_last_error"]
    error_message = "supervisor_metadata must hold the supervisor items"
  }
  assert {
    condition     = strcontains(output.supervisor_metadata[0].script, "kill -0") && strcontains(output.supervisor_metadata[0].script, "supervisor.lock")
    error_message = "the supervisor state item must tell a dead supervisor from a live one"
  }
}

run "metadata_reads_a_custom_state_dir_and_follows_order" {
  command = apply

  variables {
    state_dir = "/data/runner's state"
    order     = 10
  }

  assert {
    condition     = alltrue([for m in concat(output.agent_metadata, output.supervisor_metadata) : strcontains(m.script, "'/data/runner'\\''s state'/items/")])
    error_message = "metadata scripts must read the custom state dir, shell-quoted"
  }
  assert {
    condition     = [for m in concat(output.agent_metadata, output.supervisor_metadata) : m.order] == [10, 11, 12, 13, 14, 15, 16]
    error_message = "order must number the items from var.order"
  }
}
