variable "environment_secret" {
  type        = string
  description = "The secret of the Claude Code self-hosted environment (from claude.ai). Only this workspace has it."
  sensitive   = true
}

variable "runner_owner_token" {
  type        = string
  description = "A Coder token of the runner-owner account (a dedicated plain member, never a person): the spawn-runner hook creates the runner workspaces with it."
  sensitive   = true
}

variable "runner_template" {
  type        = string
  description = "Name of the on-demand runner template (examples/on-demand/runner, as pushed)."
  default     = "claude-runner-on-demand"
}

variable "runner_preset" {
  type        = string
  description = "The runner template's preset whose prebuilds are the warm buffer; null creates without a preset (always a fresh build)."
  default     = "on-demand"
  nullable    = true
}

variable "runner_owner" {
  type        = string
  description = "Who owns the runner workspaces: \"me\" (the runner_owner_token's own user) or a user name that token may create workspaces for."
  default     = "me"
}

variable "runner_organization" {
  type        = string
  description = "The Coder organization of the runner template, by name."
  default     = "default"
}

variable "min_idle" {
  type        = number
  description = "Standby runner workspaces (no session yet) that the orchestrator keeps asked for; each serves the next queued session. 0: only sessions create workspaces."
  default     = 0
}

variable "hook_concurrency" {
  type        = number
  description = "How many spawn-runner hooks run at once (also caps the spawn requests claimed per poll)."
  default     = 4
}

variable "hook_timeout_seconds" {
  type        = number
  description = "A spawn-runner hook still running after this is stopped (a retryable failure). The hook only creates the workspace: it never waits for the build."
  default     = 60
}

variable "expected_spawn_seconds" {
  type        = number
  description = "The lease: a runner not registered this long after its spawn request is asked for again with a fresh work order. Above hook_timeout_seconds + 5, and above the runner template's usual build time (a fresh build, when no prebuild is ready)."
  default     = 120
}

variable "image" {
  type        = string
  description = "Workspace image: needs Node.js >= 20 and Claude Code >= 2.1.224 at /usr/local/bin/claude."
  default     = "codercom/enterprise-base:ubuntu"
}

variable "docker_host" {
  type        = string
  description = "Docker daemon that runs the workspace."
  default     = "unix:///var/run/docker.sock"
}
