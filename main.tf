# The launcher, the stop script and the dashboard items, rendered as the orchestrator module
# renders its own (one internal module for both).
module "scripts" {
  source              = "./modules/supervisor-scripts"
  module_dir          = "${path.module}/module"
  bundle              = "supervisor.cjs"
  metadata_items_file = "metadata-items.json"
  order               = var.order

  shell_defaults = local.script_shell_defaults
  shell_values   = local.script_shell_values
  optional_flags = local.script_optional_flags
  extra_args     = var.extra_runner_args

  # The supervisor's flags of plain values (numbers, validated choices); a null one is not passed.
  supervisor_flags = local.script_supervisor_flags

  # The runner's own words: the rendered script shows both binary paths (a plan shows what runs).
  role_words = {
    RUNNER_BINARY = "runner_binary_path"
    CLAUDE_BINARY = "claude_binary_path"
    BASE_DIR      = "runner_base_dir"
  }
  role_flags       = "--runner-binary \"$RUNNER_BINARY\" --claude-binary \"$CLAUDE_BINARY\" --base-dir \"$BASE_DIR\""
  role_flag_inputs = { "runner-user" = "runner_user" }

  # The stop's whole budget: the runner's own stop budget plus its --drain-wait-sec (as the
  # supervisor's stopBudgetSec computes it).
  drain_timeout = var.drain_timeout_seconds
  drain_wait    = var.drain_wait_seconds
}

resource "coder_env" "pool_secret" {
  agent_id = var.agent_id
  name     = "CLAUDE_POOL_SECRET"
  value    = var.pool_secret
}

# On-demand: the session's work order (empty in a prebuild, and always in pool mode).
resource "coder_env" "work_order" {
  agent_id = var.agent_id
  name     = "CLAUDE_WORK_ORDER"
  value    = var.work_order == null ? "" : var.work_order
}

resource "coder_env" "capacity" {
  agent_id = var.agent_id
  name     = "CLAUDE_CAPACITY"
  value    = tostring(var.capacity)
}

resource "coder_env" "git_bot_token" {
  agent_id = var.agent_id
  name     = "GIT_BOT_TOKEN"
  value    = var.git_bot_token
}

resource "coder_env" "self_token" {
  agent_id = var.agent_id
  name     = "CODER_SELF_TOKEN"
  value    = var.self_evict_token
}

resource "coder_env" "workspace_id" {
  agent_id = var.agent_id
  name     = "CODER_WORKSPACE_ID"
  value    = var.workspace_id
}

resource "coder_script" "claude_runner" {
  agent_id           = var.agent_id
  display_name       = "Claude self-hosted runner"
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
      condition     = var.runner_mode != "pool" || (var.pool_secret != null && var.pool_secret != "")
      error_message = "pool_secret is empty: in pool mode it is the self-hosted environment's secret; for on-demand set runner_mode = \"on-demand\" and work_order."
    }
    precondition {
      condition     = var.runner_mode != "on-demand" || var.pool_secret == null || var.pool_secret == ""
      error_message = "pool_secret must be \"\" in on-demand mode: the environment secret stays on the orchestrator and never enters a runner workspace."
    }
    precondition {
      condition     = var.runner_mode != "pool" || var.work_order == null || var.work_order == ""
      error_message = "work_order is set but runner_mode is \"pool\": set runner_mode = \"on-demand\" (and pool_secret = \"\") to use it."
    }
  }
  # END GENERATED preconditions
}

# Stops the runner gracefully when the workspace stops: one SIGTERM, the whole drain budget,
# then SIGKILL of the runner's process group. A stop never self-evicts.
resource "coder_script" "claude_runner_stop" {
  agent_id     = var.agent_id
  display_name = "Claude self-hosted runner (stop)"
  icon         = "/icon/claude.svg"
  run_on_stop  = true
  # The whole stop budget plus time for the supervisor to persist its state.
  timeout = module.scripts.stop_timeout
  script  = module.scripts.stopper
}
