# The orchestrator of the on-demand mode: a long-lived Coder workspace that runs
# `claude self-hosted-runner orchestrator` under the supervisor. It alone holds the environment
# secret and the runner-owner account's token; its spawn-runner hook (a command of the same
# bundle) creates one runner workspace per session through Coder's API.
locals {
  # The orchestrator's --shutdown-drain-sec is the hook timeout plus 10 s (its own help), and the
  # process manager should wait 15 s more: the stop's whole budget (the supervisor's floor is 100 s).
  stop_budget_seconds = max(100, var.hook_timeout_seconds + 25)
}

# The launcher, the stop script and the dashboard items, rendered as the runner module renders
# its own (one internal module for both), with the orchestrator's bundle.
module "scripts" {
  source              = "../modules/supervisor-scripts"
  module_dir          = "${path.module}/../module"
  bundle              = "orchestrator.cjs"
  metadata_items_file = "orchestrator-metadata-items.json"
  order               = var.order

  # BEGIN GENERATED shell_defaults: npm run generate, from supervisor/src/config/inputs.ts
  shell_defaults = {
    state_dir = "\"$${XDG_STATE_HOME:-$HOME/.local/state}/claude-self-hosted-runner\""
  }
  # END GENERATED shell_defaults
  shell_values = {
    # BEGIN GENERATED shell_word_inputs: npm run generate, from supervisor/src/config/inputs.ts
    runner_binary_path    = var.runner_binary_path
    node_binary_path      = var.node_binary_path
    supervisor_path       = var.supervisor_path
    state_dir             = var.state_dir
    log_dir               = var.log_dir
    agent_proxy_url       = var.agent_proxy_url
    runner_owner          = var.runner_owner
    runner_template       = var.runner_template
    runner_preset         = var.runner_preset
    runner_organization   = var.runner_organization
    work_order_parameter  = var.work_order_parameter
    workspace_name_prefix = var.workspace_name_prefix
    # END GENERATED shell_word_inputs
  }
  optional_flags = {
    # BEGIN GENERATED optional_flag_inputs: npm run generate, from supervisor/src/config/inputs.ts
    "agent-proxy-url"       = "agent_proxy_url"
    "log-dir"               = "log_dir"
    "runner-organization"   = "runner_organization"
    "runner-owner"          = "runner_owner"
    "runner-preset"         = "runner_preset"
    "runner-template"       = "runner_template"
    "work-order-parameter"  = "work_order_parameter"
    "workspace-name-prefix" = "workspace_name_prefix"
    # END GENERATED optional_flag_inputs
  }
  # BEGIN GENERATED supervisor_flags: npm run generate, from supervisor/src/config/inputs.ts
  supervisor_flags = {
    "crash-loop-threshold" = var.crash_loop_threshold
    "expected-spawn-sec"   = var.expected_spawn_seconds
    "health-interval-sec"  = var.health_interval_seconds
    "health-port"          = var.health_port
    "hook-concurrency"     = var.hook_concurrency
    "hook-timeout-sec"     = var.hook_timeout_seconds
    "min-idle"             = var.min_idle
    "quarantine-min"       = var.quarantine_minutes
    "restart-initial-sec"  = var.restart_initial_delay_seconds
    "restart-max-sec"      = var.restart_max_delay_seconds
    "runner-log-level"     = var.runner_log_level
    "short-run-sec"        = var.short_run_seconds
  }
  # END GENERATED supervisor_flags

  role_words    = { RUNNER_BINARY = "runner_binary_path" }
  role_flags    = "--role orchestrator --runner-binary \"$RUNNER_BINARY\" --drain-timeout-sec ${local.stop_budget_seconds}"
  drain_timeout = local.stop_budget_seconds
  drain_wait    = 0
}

resource "coder_env" "environment_secret" {
  agent_id = var.agent_id
  name     = "CLAUDE_POOL_SECRET"
  value    = var.pool_secret
}

resource "coder_env" "coder_token" {
  agent_id = var.agent_id
  name     = "CODER_SPAWN_TOKEN"
  value    = var.coder_token
}

resource "coder_script" "orchestrator" {
  agent_id           = var.agent_id
  display_name       = "Claude runner orchestrator"
  icon               = "/icon/claude.svg"
  run_on_start       = true
  start_blocks_login = false
  script             = module.scripts.launcher

  # BEGIN GENERATED preconditions: npm run generate, from supervisor/src/config/inputs.ts
  lifecycle {
    precondition {
      condition     = var.restart_initial_delay_seconds <= var.restart_max_delay_seconds
      error_message = "restart_initial_delay_seconds must not exceed restart_max_delay_seconds."
    }
    precondition {
      condition     = var.hook_timeout_seconds + 5 < var.expected_spawn_seconds
      error_message = "hook_timeout_seconds + 5 must be less than expected_spawn_seconds: the orchestrator refuses to start otherwise."
    }
  }
  # END GENERATED preconditions
}

# Stops the orchestrator gracefully: one SIGTERM (it stops polling and gives the hooks in flight
# its --shutdown-drain-sec), then the whole group after the stop's budget.
resource "coder_script" "orchestrator_stop" {
  agent_id     = var.agent_id
  display_name = "Claude runner orchestrator (stop)"
  icon         = "/icon/claude.svg"
  run_on_stop  = true
  timeout      = module.scripts.stop_timeout
  script       = module.scripts.stopper
}
