# Generated from supervisor/src/config/inputs.ts by `npm run generate:variables`: edit the table, not this file.

# --- Inputs of the registry module coder-labs/claude-self-hosted-runner (same names, types,
# --- defaults, sensitivity and validation): this module is a drop-in replacement.

variable "agent_id" {
  type        = string
  description = "The ID of the coder_agent that runs the runner (coder_agent.main.id)."
}

variable "workspace_id" {
  type        = string
  description = "data.coder_workspace.me.id of the parent template: the workspace the supervisor deletes (self-eviction) when the runner is done."
}

variable "pool_secret" {
  type        = string
  description = "Secret of the Claude Code self-hosted environment (from claude.ai). Written to a 0400 file and passed to the runner only as a file path."
  sensitive   = true
}

variable "self_evict_token" {
  type        = string
  description = "Per-workspace Coder API token with scopes workspace:read, workspace:delete, template:read and user:read_personal, allow-listed to workspace:<this workspace's id>. Used only to delete this workspace."
  sensitive   = true
}

variable "git_bot_token" {
  type        = string
  description = "Optional git token of a bot identity. When set, git's core.askPass prints it from the environment, so sessions can push without credentials in the image."
  sensitive   = true
  default     = ""
}

variable "capacity" {
  type        = number
  description = "Maximum sessions the runner serves at once. The runner locks to one user, so this caps parallelism within that user's queue."
  default     = 4
  validation {
    condition     = var.capacity >= 1 && var.capacity <= 16
    error_message = "capacity must be between 1 and 16."
  }
}

variable "runner_binary_path" {
  type        = string
  description = "Path of the `claude` binary that provides `claude self-hosted-runner` (Claude Code >= 2.1.224) inside the workspace."
  default     = "/usr/local/bin/claude"
}

variable "claude_binary_path" {
  type        = string
  description = "Path of the Claude Code binary that the per-session wrapper execs."
  default     = "/opt/claude/claude"
}

variable "order" {
  type        = number
  description = "Order of the runner's items in the agent UI: the metadata items get order, order+1, ... (null leaves Coder's default)."
  default     = null
}

# --- Inputs of this module only: optional, with safe defaults.

variable "node_binary_path" {
  type        = string
  description = "Node.js (>= 20) that runs the supervisor: a command on PATH or an absolute path."
  default     = "node"
  validation {
    condition     = length(trimspace(var.node_binary_path)) > 0 && !strcontains(var.node_binary_path, "\n")
    error_message = "node_binary_path must be a command name on PATH (such as \"node\") or an absolute path, on one line."
  }
}

variable "supervisor_path" {
  type        = string
  description = "Absolute path of a supervisor bundle pre-installed in the image. When set, the launcher runs it instead of writing the bundle embedded in the script (a much smaller script). null means the bundle embedded in the launcher."
  default     = null
  validation {
    condition     = var.supervisor_path == null || startswith(coalesce(var.supervisor_path, "/"), "/")
    error_message = "supervisor_path must be an absolute path, or null for the bundle embedded in the launcher."
  }
}

variable "permission_mode" {
  type        = string
  description = "Permission mode that the session wrapper forces after the runner's flags (last one wins). bypassPermissions (the registry module's behaviour) never stalls an unattended session on a prompt."
  default     = "bypassPermissions"
  validation {
    condition     = contains(["bypassPermissions", "auto", "acceptEdits", "default", "dontAsk", "plan"], var.permission_mode)
    error_message = "permission_mode must be one of bypassPermissions, auto, acceptEdits, default, dontAsk, plan."
  }
}

variable "state_dir" {
  type        = string
  description = "Absolute directory where the supervisor keeps its state, secret file, wrapper and dashboard files (0700). null means $HOME/.claude/self-hosted-runner."
  default     = null
  validation {
    condition     = var.state_dir == null || startswith(coalesce(var.state_dir, "/"), "/")
    error_message = "state_dir must be an absolute path, or null for $HOME/.claude/self-hosted-runner."
  }
}

variable "log_dir" {
  type        = string
  description = "Absolute directory for the supervisor's and the runner's logs. null means <state_dir>/logs."
  default     = null
  validation {
    condition     = var.log_dir == null || startswith(coalesce(var.log_dir, "/"), "/")
    error_message = "log_dir must be an absolute path, or null for <state_dir>/logs."
  }
}

variable "runner_base_dir" {
  type        = string
  description = "The runner's --base-dir, where sessions get their working directories. It must be writable by the workspace user (the supervisor checks it first). null means $HOME/workspace."
  default     = null
  validation {
    condition     = var.runner_base_dir == null || startswith(coalesce(var.runner_base_dir, "/"), "/")
    error_message = "runner_base_dir must be an absolute path, or null for $HOME/workspace."
  }
}

variable "health_port" {
  type        = number
  description = "Local port of the runner's /healthz and /metrics (127.0.0.1), which the supervisor polls."
  default     = 8080
  validation {
    condition     = var.health_port >= 1 && var.health_port <= 65535 && floor(var.health_port) == var.health_port
    error_message = "health_port must be a whole number from 1 to 65535 (the supervisor needs the health endpoint, so 0 is not allowed)."
  }
}

variable "health_interval_seconds" {
  type        = number
  description = "How often the supervisor polls the runner's /healthz (active sessions, runner ID, last poll). The lock does not wait for it: the session wrapper records it at once."
  default     = 10
  validation {
    condition     = var.health_interval_seconds >= 1 && var.health_interval_seconds <= 300 && floor(var.health_interval_seconds) == var.health_interval_seconds
    error_message = "health_interval_seconds must be a whole number from 1 to 300."
  }
}

variable "restart_initial_delay_seconds" {
  type        = number
  description = "Delay before restarting a runner that crashed before any session; doubled after every run shorter than short_run_seconds."
  default     = 5
  validation {
    condition     = var.restart_initial_delay_seconds >= 1 && var.restart_initial_delay_seconds <= 3600 && floor(var.restart_initial_delay_seconds) == var.restart_initial_delay_seconds
    error_message = "restart_initial_delay_seconds must be a whole number from 1 to 3600."
  }
}

variable "restart_max_delay_seconds" {
  type        = number
  description = "Cap of the restart delay."
  default     = 300
  validation {
    condition     = var.restart_max_delay_seconds >= 1 && var.restart_max_delay_seconds <= 86400 && floor(var.restart_max_delay_seconds) == var.restart_max_delay_seconds
    error_message = "restart_max_delay_seconds must be a whole number from 1 to 86400."
  }
}

variable "short_run_seconds" {
  type        = number
  description = "A runner run shorter than this counts as a short run: it doubles the restart delay and counts toward a crash loop. A longer run resets both."
  default     = 60
  validation {
    condition     = var.short_run_seconds >= 1 && var.short_run_seconds <= 86400 && floor(var.short_run_seconds) == var.short_run_seconds
    error_message = "short_run_seconds must be a whole number from 1 to 86400."
  }
}

variable "crash_loop_threshold" {
  type        = number
  description = "Short crashed runs in a row that make a crash loop: the supervisor stops restarting, does not self-evict, and shows the reason."
  default     = 5
  validation {
    condition     = var.crash_loop_threshold >= 2 && var.crash_loop_threshold <= 100 && floor(var.crash_loop_threshold) == var.crash_loop_threshold
    error_message = "crash_loop_threshold must be a whole number from 2 to 100."
  }
}

variable "quarantine_minutes" {
  type        = number
  description = "How long a crash-looping (or misconfigured) workspace waits before it self-evicts, so a broken host cannot hold a pool slot forever. 0 means never."
  default     = 60
  validation {
    condition     = var.quarantine_minutes >= 0 && var.quarantine_minutes <= 525600
    error_message = "quarantine_minutes must be a number from 0 to 525600 (0 means never, 525600 is a year)."
  }
}

variable "max_lifetime_minutes" {
  type        = number
  description = "Optional maximum lifetime: passed to the runner as --retire-at, so it retires cleanly and the workspace self-evicts (fresh images). 0 means no limit. Keep a prebuild ttl above this plus the drain budget."
  default     = 0
  validation {
    condition     = var.max_lifetime_minutes >= 0 && var.max_lifetime_minutes <= 525600
    error_message = "max_lifetime_minutes must be a number from 0 to 525600 (0 means no limit)."
  }
}

variable "drain_timeout_seconds" {
  type        = number
  description = "How long a stop waits for the runner to drain after its one SIGTERM before it kills the runner's process group. Must exceed the runner's own drain budget."
  default     = 180
  validation {
    condition     = var.drain_timeout_seconds >= 90 && var.drain_timeout_seconds <= 86400 && floor(var.drain_timeout_seconds) == var.drain_timeout_seconds
    error_message = "drain_timeout_seconds must be a whole number from 90 to 86400 (the runner drains for about 80 s at its defaults, so less would cut sessions off)."
  }
}

variable "eviction_deadline_seconds" {
  type        = number
  description = "How long self-eviction keeps retrying (network errors, 5xx, 429, an active build) before it gives up and shows the error."
  default     = 1800
  validation {
    condition     = var.eviction_deadline_seconds >= 10 && var.eviction_deadline_seconds <= 86400 && floor(var.eviction_deadline_seconds) == var.eviction_deadline_seconds
    error_message = "eviction_deadline_seconds must be a whole number from 10 to 86400."
  }
}

variable "runner_user" {
  type        = string
  description = "Unix user that the runner and every session run as, created at start when missing (needs root or passwordless sudo; without either the runner runs as the workspace user and the dashboard says \"isolation: off (no sudo)\"). \"none\" turns isolation off. See docs/isolation.md."
  default     = "claude-runner"
}
