# Generated from supervisor/src/config/inputs.ts by `npm run generate`: edit the table, not this file.

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
  description = "Secret of the Claude Code self-hosted environment (from claude.ai). Written to a 0400 file and passed to the runner (or the orchestrator) only as a file path. In on-demand mode a runner workspace never has it: set it to \"\" there; the orchestrator holds it."
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

variable "max_lifetime_minutes" {
  type        = number
  description = "Optional maximum lifetime: passed to the runner as --retire-at, so it retires cleanly and the workspace self-evicts (fresh images). 0 means no limit. Keep a prebuild ttl above this plus the drain budget."
  default     = 0
  validation {
    condition     = var.max_lifetime_minutes >= 0 && var.max_lifetime_minutes <= 525600
    error_message = "max_lifetime_minutes must be a number from 0 to 525600 (0 means no limit)."
  }
}

variable "max_locked_minutes" {
  type        = number
  description = "Hard cap on how long a runner, and so a locked workspace, may live: passed as --retire-at (the runner releases its sessions, which resume on a fresh runner at the user's next message, and exits), then self-eviction. A runner still alive as long again after it (at most 15 min more) is killed. An idle runner that reaches it is replaced, not evicted."
  default     = 1440
  validation {
    condition     = var.max_locked_minutes >= 0.1 && var.max_locked_minutes <= 10080
    error_message = "max_locked_minutes must be a number from 0.1 to 10080 (a locked workspace always has a cap; the runner's own watchdogs stop at a week)."
  }
}

variable "runner_unresponsive_seconds" {
  type        = number
  description = "A live runner whose /healthz has not answered, or whose last poll of Anthropic is older, for this long no longer works: it is killed with every process of the runner user, then a locked workspace self-evicts and an unlocked one restarts. A stopped runner (state T) is killed at the next health poll."
  default     = 900
  validation {
    condition     = var.runner_unresponsive_seconds >= 10 && var.runner_unresponsive_seconds <= 86400 && floor(var.runner_unresponsive_seconds) == var.runner_unresponsive_seconds
    error_message = "runner_unresponsive_seconds must be a whole number from 10 to 86400 (a working runner answers /healthz at once and polls Anthropic every few seconds)."
  }
}

variable "drain_timeout_seconds" {
  type        = number
  description = "How long a stop waits for the runner to drain after its one SIGTERM before it kills the runner's process group. Must exceed the runner's own drain budget."
  default     = 180
  validation {
    condition     = var.drain_timeout_seconds >= 100 && var.drain_timeout_seconds <= 86400 && floor(var.drain_timeout_seconds) == var.drain_timeout_seconds
    error_message = "drain_timeout_seconds must be a whole number from 100 to 86400 (the runner needs up to 80 s to stop plus up to 20 s for a release in flight, so less would cut sessions off)."
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

variable "client_label" {
  type        = string
  description = "The runner's --client-label, shown beside it in the Anthropic console. null means <owner>/<workspace> from the Coder agent's CODER_WORKSPACE_OWNER_NAME and CODER_WORKSPACE_NAME."
  default     = null
  validation {
    condition     = var.client_label == null || can(regex("^[ -~]{1,200}$", coalesce(var.client_label, "-")))
    error_message = "client_label must be one line of at most 200 printable ASCII characters, or null for the default."
  }
}

variable "release_idle_session_minutes" {
  type        = number
  description = "The runner's --release-idle-session-min: a session whose user gave no input for this long is released; a runner left with none exits, and the locked workspace self-evicts. null leaves the runner's default (Anthropic's control plane may send an idle limit); 0 never releases."
  default     = null
  validation {
    condition     = var.release_idle_session_minutes == null || (coalesce(var.release_idle_session_minutes, 0) >= 0 && coalesce(var.release_idle_session_minutes, 0) <= 10080 && floor(coalesce(var.release_idle_session_minutes, 0)) == coalesce(var.release_idle_session_minutes, 0))
    error_message = "release_idle_session_minutes must be a whole number from 0 to 10080 (the runner's maximum is a week)."
  }
}

variable "drain_wait_seconds" {
  type        = number
  description = "The runner's --drain-wait-sec: on a stop, each session's turn in flight gets this long to finish first. It is added to drain_timeout_seconds for the stop's whole budget."
  default     = 0
  validation {
    condition     = var.drain_wait_seconds >= 0 && var.drain_wait_seconds <= 86400 && floor(var.drain_wait_seconds) == var.drain_wait_seconds
    error_message = "drain_wait_seconds must be a whole number from 0 to 86400."
  }
}

variable "kill_session_after_minutes" {
  type        = number
  description = "The runner's --kill-session-after-min: a backstop for runaway sessions (released, resumable, at the deadline). null is off."
  default     = null
  validation {
    condition     = var.kill_session_after_minutes == null || (coalesce(var.kill_session_after_minutes, 1) >= 1 && coalesce(var.kill_session_after_minutes, 1) <= 10080 && floor(coalesce(var.kill_session_after_minutes, 1)) == coalesce(var.kill_session_after_minutes, 1))
    error_message = "kill_session_after_minutes must be a whole number from 1 to 10080 (the runner's maximum is a week)."
  }
}

variable "exit_if_unused_minutes" {
  type        = number
  description = "The runner's --exit-if-unused-min: a runner never assigned work for this long exits, and the workspace self-evicts (the pool gets a fresh one). null is off."
  default     = null
  validation {
    condition     = var.exit_if_unused_minutes == null || (coalesce(var.exit_if_unused_minutes, 1) >= 1 && coalesce(var.exit_if_unused_minutes, 1) <= 10080 && floor(coalesce(var.exit_if_unused_minutes, 1)) == coalesce(var.exit_if_unused_minutes, 1))
    error_message = "exit_if_unused_minutes must be a whole number from 1 to 10080 (the runner's maximum is a week)."
  }
}

variable "hooks_dir" {
  type        = string
  description = "The runner's --hooks-dir: a directory in the image with lifecycle hook scripts (checkout, command, post-session). null means no hooks (the runner's built-in behaviour)."
  default     = null
  validation {
    condition     = var.hooks_dir == null || startswith(coalesce(var.hooks_dir, "/"), "/")
    error_message = "hooks_dir must be an absolute path, or null for no hooks (the runner's built-in behaviour)."
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

variable "extra_runner_args" {
  type        = list(string)
  description = "More arguments for claude self-hosted-runner, passed through as they are. The flags that the supervisor or another input sets (the secret, exec path, base dir, health port, capacity, log file, and the options above) are refused."
  default     = []
  validation {
    condition     = alltrue([for arg in var.extra_runner_args : !contains(["--environment-secret-file", "--pool-secret-file", "--exec-path", "--base-dir", "--health-port", "--capacity", "--log-file", "--retire-at", "--drain-marker-file", "--client-label", "--drain-wait-sec", "--release-idle-session-min", "--kill-session-after-min", "--exit-if-unused-min", "--hooks-dir", "--agent-proxy-url", "--log-level", "--api-url"], split("=", arg)[0])])
    error_message = "extra_runner_args must not set a flag that the supervisor or another input owns: --environment-secret-file, --pool-secret-file, --exec-path, --base-dir, --health-port, --capacity, --log-file, --retire-at, --drain-marker-file, --client-label, --drain-wait-sec, --release-idle-session-min, --kill-session-after-min, --exit-if-unused-min, --hooks-dir, --agent-proxy-url, --log-level, --api-url."
  }
}

variable "runner_user" {
  type        = string
  description = "Unix user that the runner runs as, created by the module at start (needs root or passwordless sudo; without either the runner runs as the workspace user and the dashboard says \"isolation: off (no sudo)\"). Every session runs as a second user, <runner_user>-session, made the same way and switched to through sudo (without sudo in the image, sessions run as the runner user). It must be dedicated: a user the module did not create, one with sudo rights, root, the workspace user and nobody are refused (exit 78). \"none\" turns isolation off. See docs/isolation.md."
  default     = "claude-runner"
  validation {
    condition     = can(regex("^([a-z_][a-z0-9_-]{0,31}|none)$", var.runner_user))
    error_message = "runner_user must be a Unix user name (lower case, up to 32 characters) or \"none\"."
  }
}

variable "runner_docker_access" {
  type        = string
  description = "Whether sessions may use the docker socket: \"on\" adds the session user (the runner user where there is none) to the group that owns the socket. That group is root on the host, so isolation is then only partial and the dashboard says \"isolation: partial: docker\". See docs/isolation.md."
  default     = "off"
  validation {
    condition     = contains(["off", "on"], var.runner_docker_access)
    error_message = "runner_docker_access must be one of off, on."
  }
}

variable "runner_mode" {
  type        = string
  description = "pool: the workspace registers a runner with the environment secret and serves sessions as they come (the registry module's way). on-demand: the orchestrator creates the workspace for one session, with a work order; the environment secret stays on the orchestrator."
  default     = "pool"
  validation {
    condition     = contains(["pool", "on-demand"], var.runner_mode)
    error_message = "runner_mode must be one of pool, on-demand."
  }
}

variable "work_order" {
  type        = string
  description = "On-demand mode: the work order that the orchestrator's spawn-runner hook put into the create request, as the build parameter of an ephemeral, mutable coder_parameter (empty in a prebuild). The runner registers with it where the environment secret would go; it is spent after one registration."
  sensitive   = true
  default     = null
}

variable "order_wait_minutes" {
  type        = number
  description = "On-demand mode: a workspace that has no work order waits this long, then self-evicts (an orphan must not hold a slot). A prebuild waits to be claimed: give it 0 (data.coder_workspace.me.is_prebuild ? 0 : 10). Keep it above the orchestrator's lease (expected_spawn_seconds), after which Anthropic asks for a fresh workspace anyway."
  default     = 10
  validation {
    condition     = var.order_wait_minutes >= 0 && var.order_wait_minutes <= 10080
    error_message = "order_wait_minutes must be a number from 0 to 10080 (0 waits forever, as a prebuild must; anything else should exceed the orchestrator's expected_spawn_seconds)."
  }
}
