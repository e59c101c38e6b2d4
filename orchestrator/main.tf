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

  shell_defaults = local.script_shell_defaults
  shell_values   = local.script_shell_values
  optional_flags = local.script_optional_flags
  # The supervisor's flags of plain values (numbers, validated choices); a null one is not passed.
  supervisor_flags = local.script_supervisor_flags

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
