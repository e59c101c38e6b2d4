variable "pool_size" {
  type        = number
  description = "How many idle runner workspaces the prebuild reconciler keeps ready."
  default     = 2
  validation {
    condition     = var.pool_size >= 1 && var.pool_size <= 100 && floor(var.pool_size) == var.pool_size
    error_message = "pool_size must be a whole number from 1 to 100."
  }
}

variable "prebuild_ttl_seconds" {
  type        = number
  description = "Expiration ttl of the pool's prebuilds. Runner workspaces are never claimed, so this bounds their whole life, sessions included: keep it above max_lifetime_minutes plus the drain budget."
  default     = 86400
  validation {
    condition     = var.prebuild_ttl_seconds >= 3600
    error_message = "prebuild_ttl_seconds must be at least 3600 (one hour) so sessions are not cut short."
  }
}

variable "max_lifetime_minutes" {
  type        = number
  description = "Optional retirement of each runner (passed to the module); 0 for none."
  default     = 720
}

variable "pool_secret" {
  type        = string
  description = "The secret of the Claude Code self-hosted environment (from claude.ai)."
  sensitive   = true
}

variable "coder_bootstrap_token" {
  type        = string
  description = "A Coder token that may create tokens for the workspace owner (the prebuilds user), used only at build time to mint each workspace's scoped self-evict token."
  sensitive   = true
}

variable "git_bot_token" {
  type        = string
  description = "Optional git token of a bot identity for sessions."
  sensitive   = true
  default     = ""
}

variable "capacity" {
  type        = number
  description = "Sessions per runner (1 to 16)."
  default     = 4
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
