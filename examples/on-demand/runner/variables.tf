variable "warm_workspaces" {
  type        = number
  description = "How many runner workspaces the prebuild reconciler keeps built and waiting for a session (the warm buffer; Premium). 0: every session waits for a fresh build."
  default     = 2
  validation {
    condition     = var.warm_workspaces >= 0 && var.warm_workspaces <= 100 && floor(var.warm_workspaces) == var.warm_workspaces
    error_message = "warm_workspaces must be a whole number from 0 to 100."
  }
}

variable "prebuild_ttl_seconds" {
  type        = number
  description = "Expiration ttl of an unclaimed prebuild: after it, the reconciler replaces it with a fresh one. A claimed workspace is no longer a prebuild, so this never ends a session."
  default     = 86400
  validation {
    condition     = var.prebuild_ttl_seconds >= 3600 && var.prebuild_ttl_seconds <= 31536000
    error_message = "prebuild_ttl_seconds must be from 3600 (one hour) to 31536000 (one year), as the coder provider allows."
  }
}

variable "order_wait_minutes" {
  type        = number
  description = "How long a workspace built for a session (not a prebuild) waits for its work order before it self-evicts. Keep it above the orchestrator's expected_spawn_seconds."
  default     = 10
  validation {
    condition     = var.order_wait_minutes > 0 && var.order_wait_minutes <= 10080
    error_message = "order_wait_minutes must be above 0 (a prebuild waits forever by itself) and at most 10080 (a week)."
  }
}

variable "max_lifetime_minutes" {
  type        = number
  description = "Retirement of the runner (passed to the module): a session's workspace is gone after this at the latest. The self-evict token lives this long plus an hour."
  default     = 720
  validation {
    condition     = var.max_lifetime_minutes >= 1 && var.max_lifetime_minutes <= 10080 && floor(var.max_lifetime_minutes) == var.max_lifetime_minutes
    error_message = "max_lifetime_minutes must be a whole number from 1 to 10080: the self-evict token's lifetime is derived from it."
  }
}

variable "coder_bootstrap_token" {
  type        = string
  description = "A Coder token that may create tokens for the workspace owners (the prebuilds user and the runner-owner account): an owner's or user admin's token, used only at build time to mint each workspace's scoped self-evict token."
  sensitive   = true
}

variable "git_bot_token" {
  type        = string
  description = "Optional git token of a bot identity for sessions."
  sensitive   = true
  default     = ""
}

variable "image" {
  type        = string
  description = "Workspace image: needs Node.js >= 20 and Claude Code >= 2.1.224 at /usr/local/bin/claude and /opt/claude/claude."
  default     = "codercom/enterprise-base:ubuntu"
}

variable "docker_host" {
  type        = string
  description = "Docker daemon that runs the workspaces."
  default     = "unix:///var/run/docker.sock"
}
