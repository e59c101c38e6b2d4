terraform {
  required_version = ">= 1.9"

  required_providers {
    coder = {
      source  = "coder/coder"
      version = ">= 2.13"
    }
  }
}

locals {
  # Shell words for the rendered scripts: user paths are single-quoted (any character works);
  # defaults that depend on $HOME stay double-quoted so the workspace's shell expands them.
  quote          = "'"
  quoted_quote   = "'\\''"
  state_dir_word = var.state_dir == null ? "\"$HOME/.claude/self-hosted-runner\"" : "'${replace(var.state_dir, local.quote, local.quoted_quote)}'"
  log_dir_word   = var.log_dir == null ? "" : "'${replace(var.log_dir, local.quote, local.quoted_quote)}'"
  base_dir_word  = var.runner_base_dir == null ? "\"$HOME/workspace\"" : "'${replace(var.runner_base_dir, local.quote, local.quoted_quote)}'"

  supervisor_bundle = "${path.module}/module/supervisor.cjs"

  launcher = templatefile("${path.module}/module/launch.sh.tftpl", {
    node_word          = "'${replace(var.node_binary_path, local.quote, local.quoted_quote)}'"
    runner_binary_word = "'${replace(var.runner_binary_path, local.quote, local.quoted_quote)}'"
    claude_binary_word = "'${replace(var.claude_binary_path, local.quote, local.quoted_quote)}'"
    state_dir_word     = local.state_dir_word
    log_dir_word       = local.log_dir_word
    base_dir_word      = local.base_dir_word
    supervisor_word    = var.supervisor_path == null ? "" : "'${replace(var.supervisor_path, local.quote, local.quoted_quote)}'"
    bundle_sha256      = var.supervisor_path == null ? filesha256(local.supervisor_bundle) : ""
    bundle_base64gzip  = var.supervisor_path == null ? base64gzip(file(local.supervisor_bundle)) : ""
    flags = join(" ", [
      "--permission-mode", var.permission_mode,
      "--health-port", tostring(var.health_port),
      "--health-interval-sec", tostring(var.health_interval_seconds),
      "--restart-initial-sec", tostring(var.restart_initial_delay_seconds),
      "--restart-max-sec", tostring(var.restart_max_delay_seconds),
      "--short-run-sec", tostring(var.short_run_seconds),
      "--crash-loop-threshold", tostring(var.crash_loop_threshold),
      "--quarantine-min", tostring(var.quarantine_minutes),
      "--max-lifetime-min", tostring(var.max_lifetime_minutes),
      "--drain-timeout-sec", tostring(var.drain_timeout_seconds),
      "--eviction-deadline-sec", tostring(var.eviction_deadline_seconds),
    ])
  })

  stopper = templatefile("${path.module}/module/stop.sh.tftpl", {
    node_word       = "'${replace(var.node_binary_path, local.quote, local.quoted_quote)}'"
    state_dir_word  = local.state_dir_word
    log_dir_word    = local.log_dir_word
    supervisor_word = var.supervisor_path == null ? "" : "'${replace(var.supervisor_path, local.quote, local.quoted_quote)}'"
    drain_timeout   = var.drain_timeout_seconds
  })
}

resource "coder_env" "pool_secret" {
  agent_id = var.agent_id
  name     = "CLAUDE_POOL_SECRET"
  value    = var.pool_secret
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

  lifecycle {
    precondition {
      condition     = var.restart_initial_delay_seconds <= var.restart_max_delay_seconds
      error_message = "restart_initial_delay_seconds must not exceed restart_max_delay_seconds."
    }
  }
}

# Stops the runner gracefully when the workspace stops: one SIGTERM, the whole drain budget,
# then SIGKILL of the runner's process group. A stop never self-evicts.
resource "coder_script" "claude_runner_stop" {
  agent_id     = var.agent_id
  display_name = "Claude self-hosted runner (stop)"
  icon         = "/icon/claude.svg"
  run_on_stop  = true
  # The drain budget plus time for the supervisor to persist its state.
  timeout = var.drain_timeout_seconds + 30
  script  = local.stopper
}
