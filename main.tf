locals {
  # Every path the rendered scripts use, as one POSIX shell word: a value is single-quoted (any
  # character works); a default that depends on $HOME stays double-quoted so the workspace's shell
  # expands it. Suffixes are appended unquoted ('/a b'/items), which the shell joins into one word.
  # BEGIN GENERATED shell_defaults: npm run generate, from supervisor/src/config/inputs.ts
  shell_defaults = {
    state_dir       = "\"$${XDG_STATE_HOME:-$HOME/.local/state}/claude-self-hosted-runner\""
    runner_base_dir = "\"$HOME/workspace\""
  }
  # END GENERATED shell_defaults
  shell_words = {
    for name, value in {
      # BEGIN GENERATED shell_word_inputs: npm run generate, from supervisor/src/config/inputs.ts
      runner_binary_path = var.runner_binary_path
      claude_binary_path = var.claude_binary_path
      node_binary_path   = var.node_binary_path
      supervisor_path    = var.supervisor_path
      state_dir          = var.state_dir
      log_dir            = var.log_dir
      runner_base_dir    = var.runner_base_dir
      client_label       = var.client_label
      hooks_dir          = var.hooks_dir
      agent_proxy_url    = var.agent_proxy_url
      runner_user        = var.runner_user
      # END GENERATED shell_word_inputs
    } : name => value == null ? lookup(local.shell_defaults, name, "") : "'${replace(value, "'", "'\\''")}'"
  }
  extra_runner_arg_words = [for arg in var.extra_runner_args : "'${replace(arg, "'", "'\\''")}'"]

  # Flags whose values are paths or text, passed only when set, each value one quoted word; then
  # the operator's extra runner arguments, one repeated flag each.
  optional_args = join(" ", concat(
    [for flag, name in {
      # BEGIN GENERATED optional_flag_inputs: npm run generate, from supervisor/src/config/inputs.ts
      "agent-proxy-url" = "agent_proxy_url"
      "client-label"    = "client_label"
      "hooks-dir"       = "hooks_dir"
      "log-dir"         = "log_dir"
      # END GENERATED optional_flag_inputs
    } : "--${flag} ${local.shell_words[name]}" if local.shell_words[name] != ""],
    [for word in local.extra_runner_arg_words : "--extra-runner-arg=${word}"],
  ))

  # The supervisor's flags that come from a variable of a plain value (no quoting needed: numbers
  # and validated choices); a null one is not passed. Terraform orders a map by key, and so does
  # the construct.
  # BEGIN GENERATED supervisor_flags: npm run generate, from supervisor/src/config/inputs.ts
  supervisor_flags = {
    "crash-loop-threshold"     = var.crash_loop_threshold
    "drain-timeout-sec"        = var.drain_timeout_seconds
    "drain-wait-sec"           = var.drain_wait_seconds
    "eviction-deadline-sec"    = var.eviction_deadline_seconds
    "exit-if-unused-min"       = var.exit_if_unused_minutes
    "health-interval-sec"      = var.health_interval_seconds
    "health-port"              = var.health_port
    "kill-session-after-min"   = var.kill_session_after_minutes
    "max-lifetime-min"         = var.max_lifetime_minutes
    "max-locked-min"           = var.max_locked_minutes
    "mode"                     = var.runner_mode
    "order-wait-min"           = var.order_wait_minutes
    "permission-mode"          = var.permission_mode
    "quarantine-min"           = var.quarantine_minutes
    "release-idle-session-min" = var.release_idle_session_minutes
    "restart-initial-sec"      = var.restart_initial_delay_seconds
    "restart-max-sec"          = var.restart_max_delay_seconds
    "runner-docker-access"     = var.runner_docker_access
    "runner-log-level"         = var.runner_log_level
    "runner-unresponsive-sec"  = var.runner_unresponsive_seconds
    "short-run-sec"            = var.short_run_seconds
  }
  # END GENERATED supervisor_flags

  # The stop's whole budget: the runner's own stop budget plus its --drain-wait-sec (as the
  # supervisor's stopBudgetSec computes it).
  stop_budget_seconds = var.drain_timeout_seconds + var.drain_wait_seconds

  supervisor_bundle = "${path.module}/module/supervisor.cjs"

  launcher = templatefile("${path.module}/module/launch.sh.tftpl", {
    node_word      = local.shell_words.node_binary_path
    state_dir_word = local.shell_words.state_dir
    optional_args  = local.optional_args
    # The runner's own words: the rendered script shows both binary paths (a plan shows what runs).
    role_words = {
      RUNNER_BINARY = local.shell_words.runner_binary_path
      CLAUDE_BINARY = local.shell_words.claude_binary_path
      BASE_DIR      = local.shell_words.runner_base_dir
    }
    role_flags      = "--runner-binary \"$RUNNER_BINARY\" --claude-binary \"$CLAUDE_BINARY\" --base-dir \"$BASE_DIR\" --runner-user ${local.shell_words.runner_user}"
    supervisor_word = local.shell_words.supervisor_path
    bundle_sha256   = var.supervisor_path == null ? filesha256(local.supervisor_bundle) : ""
    bundle_base64   = var.supervisor_path == null ? filebase64("${local.supervisor_bundle}.br") : ""
    flags           = join(" ", [for flag, value in local.supervisor_flags : "--${flag} ${value}" if value != null])
  })

  stopper = templatefile("${path.module}/module/stop.sh.tftpl", {
    node_word       = local.shell_words.node_binary_path
    state_dir_word  = local.shell_words.state_dir
    log_dir_word    = local.shell_words.log_dir
    supervisor_word = local.shell_words.supervisor_path
    drain_timeout   = var.drain_timeout_seconds
    drain_wait      = var.drain_wait_seconds
  })
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
  script             = local.launcher

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
  timeout = local.stop_budget_seconds + 30
  script  = local.stopper
}
