# Generated from supervisor/src/config/inputs.ts by `npm run generate`: edit the table, not this file.

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

variable "state_dir" {
  type        = string
  description = "Absolute directory where the supervisor keeps its state, secret file, wrapper and dashboard files (0700). Never under the runner's host-config dir (~/.claude), which the runner seeds into every session. null means $${XDG_STATE_HOME:-$HOME/.local/state}/claude-self-hosted-runner."
  default     = null
  validation {
    condition     = var.state_dir == null || startswith(coalesce(var.state_dir, "/"), "/")
    error_message = "state_dir must be an absolute path, or null for $${XDG_STATE_HOME:-$HOME/.local/state}/claude-self-hosted-runner."
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
    condition     = var.short_run_seconds >= 30 && var.short_run_seconds <= 86400 && floor(var.short_run_seconds) == var.short_run_seconds
    error_message = "short_run_seconds must be a whole number from 30 to 86400 (the runner gives up an unreachable registration after about 16 s, so a shorter threshold would never see a crash loop)."
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

variable "agent_proxy_url" {
  type        = string
  description = "The runner's --agent-proxy-url: every session's traffic goes through the agent proxy at this https:// URL (no user name or password). null is off."
  default     = null
  validation {
    condition     = var.agent_proxy_url == null || can(regex("^https://[^/@]+(/.*)?$", coalesce(var.agent_proxy_url, "https://x")))
    error_message = "agent_proxy_url must be an https:// URL without a user name or password, or null."
  }
}

variable "runner_log_level" {
  type        = string
  description = "The runner's --log-level."
  default     = "info"
  validation {
    condition     = contains(["info", "debug"], var.runner_log_level)
    error_message = "runner_log_level must be one of info, debug."
  }
}

variable "coder_token" {
  type        = string
  description = "Coder API token of the account that owns the runner workspaces (a dedicated plain member, never a person): the spawn-runner hook creates one workspace per spawn request with it. It is written to a 0400 file for the hook, never into an environment or onto a command line."
  sensitive   = true
}

variable "runner_owner" {
  type        = string
  description = "Whose runner workspaces the hook creates: \"me\" (the coder_token's own user, the simplest set-up) or a user name that the token may create workspaces for."
  default     = "me"
  validation {
    condition     = var.runner_owner == null || can(regex("^[ -~]{1,200}$", coalesce(var.runner_owner, "-")))
    error_message = "runner_owner must be one line of at most 200 printable ASCII characters, or null for the default."
  }
}

variable "runner_template" {
  type        = string
  description = "Name of the template of the on-demand runner workspaces (the root module with runner_mode = \"on-demand\"). Its active version is used."
  validation {
    condition     = var.runner_template == null || can(regex("^[ -~]{1,200}$", coalesce(var.runner_template, "-")))
    error_message = "runner_template must be one line of at most 200 printable ASCII characters, or null for the default."
  }
}

variable "runner_preset" {
  type        = string
  description = "Name of the runner template's preset: a create with it claims a ready prebuild of that preset (Premium), or builds fresh. null creates without a preset."
  default     = null
  validation {
    condition     = var.runner_preset == null || can(regex("^[ -~]{1,200}$", coalesce(var.runner_preset, "-")))
    error_message = "runner_preset must be one line of at most 200 printable ASCII characters, or null for the default."
  }
}

variable "runner_organization" {
  type        = string
  description = "The Coder organization of the runner template, by name (\"default\" is the default organization)."
  default     = "default"
  validation {
    condition     = var.runner_organization == null || can(regex("^[ -~]{1,200}$", coalesce(var.runner_organization, "-")))
    error_message = "runner_organization must be one line of at most 200 printable ASCII characters, or null for the default."
  }
}

variable "work_order_parameter" {
  type        = string
  description = "Name of the runner template's coder_parameter (ephemeral, mutable, string) that carries the work order into the workspace."
  default     = "work_order"
  validation {
    condition     = var.work_order_parameter == null || can(regex("^[ -~]{1,200}$", coalesce(var.work_order_parameter, "-")))
    error_message = "work_order_parameter must be one line of at most 200 printable ASCII characters, or null for the default."
  }
}

variable "workspace_name_prefix" {
  type        = string
  description = "Runner workspaces are named <prefix>-<16 hex digits of a hash of the order id> (32 characters at most): the same request twice finds its workspace."
  default     = "claude-run"
  validation {
    condition     = can(regex("^[a-z0-9]+(-[a-z0-9]+)*$", var.workspace_name_prefix)) && length(var.workspace_name_prefix) <= 15
    error_message = "workspace_name_prefix must be lower-case letters and digits joined by single dashes, at most 15 characters."
  }
}

variable "min_idle" {
  type        = number
  description = "The orchestrator's --min-idle: Anthropic mints standby work orders (no session binding) so that this many idle runners wait; each becomes a workspace that serves the next queued session."
  default     = 0
  validation {
    condition     = var.min_idle >= 0 && var.min_idle <= 200 && floor(var.min_idle) == var.min_idle
    error_message = "min_idle must be a whole number from 0 to 200."
  }
}

variable "hook_concurrency" {
  type        = number
  description = "The orchestrator's --hook-concurrency: how many spawn-runner hooks run at once."
  default     = 4
  validation {
    condition     = var.hook_concurrency >= 1 && var.hook_concurrency <= 64 && floor(var.hook_concurrency) == var.hook_concurrency
    error_message = "hook_concurrency must be a whole number from 1 to 64."
  }
}

variable "hook_timeout_seconds" {
  type        = number
  description = "The orchestrator's --hook-timeout (SIGTERM, then SIGKILL 5 s later). The hook's own deadline is 5 s less; the orchestrator's --shutdown-drain-sec is this plus 10, and a stop waits that plus 15."
  default     = 60
  validation {
    condition     = var.hook_timeout_seconds >= 10 && var.hook_timeout_seconds <= 600 && floor(var.hook_timeout_seconds) == var.hook_timeout_seconds
    error_message = "hook_timeout_seconds must be a whole number from 10 to 600."
  }
}

variable "expected_spawn_seconds" {
  type        = number
  description = "The orchestrator's --expected-spawn-seconds: the p99 time from a spawn request to a registered runner. Past it, Anthropic re-requests the session with a fresh work order. Must exceed hook_timeout_seconds + 5."
  default     = 120
  validation {
    condition     = var.expected_spawn_seconds >= 10 && var.expected_spawn_seconds <= 3600 && floor(var.expected_spawn_seconds) == var.expected_spawn_seconds
    error_message = "expected_spawn_seconds must be a whole number from 10 to 3600."
  }
}

variable "agent_id" {
  type        = string
  description = "The ID of the coder_agent that runs the runner (coder_agent.main.id)."
}

variable "pool_secret" {
  type        = string
  description = "Secret of the Claude Code self-hosted environment (from claude.ai). Written to a 0400 file and passed to the runner (or the orchestrator) only as a file path. In on-demand mode a runner workspace never has it: set it to \"\" there; the orchestrator holds it."
  sensitive   = true
}

variable "runner_binary_path" {
  type        = string
  description = "Path of the `claude` binary that provides `claude self-hosted-runner` (Claude Code >= 2.1.224) inside the workspace."
  default     = "/usr/local/bin/claude"
}

variable "order" {
  type        = number
  description = "Order of the runner's items in the agent UI: the metadata items get order, order+1, ... (null leaves Coder's default)."
  default     = null
}
