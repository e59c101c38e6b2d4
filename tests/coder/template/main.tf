# The test template of tests/coder: a runner workspace as a platform team would write it, with
# the module vendored next to it (the packaged release, scripts/package-module.sh, copied into
# ./claude-self-hosted-runner by the fixture) and the self-evict token minted at build time
# through the Mastercard/restapi provider exactly as examples/prebuilt-runner-pool does.
#
# Its "machine" is a process tree on the test host instead of a container: creating
# terraform_data.machine runs the agent's own init script as a non-root user (it downloads the
# agent binary from the server and runs `coder agent`); destroying it stops that agent as a
# container stop would (SIGTERM: the agent runs the stop scripts, then exits).
# terraform_data.disk stands for a persistent volume (the home directory survives a stop); its
# destroy fails while <workspace dir>/fail-destroy exists, which is how a test makes a delete
# build fail on the server.
#
# Pushed twice: as `runner` (mode = "pool") and as `ondemand` (mode = "on-demand": the work order
# from an ephemeral, mutable parameter that is empty in a prebuild, a preset, and no environment
# secret at all).

terraform {
  required_version = ">= 1.9"

  required_providers {
    coder = {
      source  = "coder/coder"
      version = ">= 2.13"
    }
    restapi = {
      source  = "Mastercard/restapi"
      version = ">= 1.20"
    }
  }
}

variable "test_root" {
  type        = string
  description = "The fixture's directory: each workspace lives in <test_root>/ws/<workspace id>."
}

variable "agent_user" {
  type        = string
  description = "The non-root user that runs the agent; empty runs it as the provisioner's user."
  default     = ""
}

variable "runner_binary_path" {
  type = string
}

variable "mode" {
  type        = string
  description = "runner_mode of the module: pool or on-demand."
  default     = "pool"
}

variable "claude_binary_path" {
  type = string
}

variable "self_evict_token_request" {
  type        = string
  description = "The self-evict token's request, base64 of its JSON (scopes and allow_list, or the legacy scope; {workspace} and {owner} stand for the ids: the CLI's --variable cannot carry JSON's quotes); empty: the documented token for dynamic parameters. The version suite sets what each Coder version mints."
  default     = ""
}

variable "coder_bootstrap_token" {
  type        = string
  sensitive   = true
  description = "A token that may create tokens for workspace owners (the fixture passes the first user's)."
}

data "coder_provisioner" "me" {}
data "coder_workspace" "me" {}
data "coder_workspace_owner" "me" {}

data "coder_parameter" "scenarios" {
  name        = "scenarios"
  description = "STANDIN_SCENARIOS of the stand-in runner."
  type        = "string"
  default     = "idle"
  mutable     = true
}

data "coder_parameter" "health_port" {
  name    = "health_port"
  type    = "number"
  default = 18080
  mutable = true
}

data "coder_parameter" "quarantine_minutes" {
  name    = "quarantine_minutes"
  type    = "number"
  default = 60
  mutable = true
}

data "coder_parameter" "drain_after_ms" {
  name        = "drain_after_ms"
  description = "STANDIN_DRAIN_AFTER_MS: how long the stand-in runner stays locked after its session before it drains."
  type        = "number"
  default     = 200
  mutable     = true
}

# A workspace's own self-evict token request (JSON as var.self_evict_token_request); empty: the
# template's. The version suite gives one workspace a token that cannot delete it.
data "coder_parameter" "self_evict_token_override" {
  name    = "self_evict_token_override"
  type    = "string"
  default = ""
  mutable = true
}

# On-demand: the session's work order, which the orchestrator's spawn-runner hook passes with the
# create request; empty in a prebuild, and in every later build (ephemeral).
data "coder_parameter" "work_order" {
  name      = "work_order"
  type      = "string"
  default   = ""
  mutable   = true
  ephemeral = true
}

# The warm buffer of the on-demand mode (the open-source server accepts presets, never prebuilds).
data "coder_workspace_preset" "on_demand" {
  name = "on-demand"
  parameters = {
    scenarios = "idle"
  }
  prebuilds {
    instances = 1
  }
}

provider "restapi" {
  uri                  = data.coder_workspace.me.access_url
  write_returns_object = true
  headers = {
    "Coder-Session-Token" = var.coder_bootstrap_token
    "Content-Type"        = "application/json"
  }
}

locals {
  dir        = "${var.test_root}/ws/${data.coder_workspace.me.id}"
  token_path = "/api/v2/users/${data.coder_workspace_owner.me.id}/keys/tokens"
  token_request = var.self_evict_token_request != "" ? base64decode(var.self_evict_token_request) : jsonencode({
    scopes     = ["workspace:read", "workspace:delete", "template:read", "user:read"]
    allow_list = ["workspace:{workspace}", "template:*", "user:{owner}"]
  })
}

# Token names are unique per user, and a destroyed restapi_object leaves its token to expire:
# a name of its own for every start (terraform_data gets a new random id at each creation) lets
# a stopped workspace, or one whose delete build failed, start again.
resource "terraform_data" "token_nonce" {
  count = data.coder_workspace.me.start_count
}

# By default the smallest token that self-evicts from a template with dynamic parameters (the
# default for a new template), as docs/self-evict-token.md documents and
# examples/prebuilt-runner-pool mints; the version suite sets what works on an older server.
resource "restapi_object" "self_evict_token" {
  count = data.coder_workspace.me.start_count

  path           = local.token_path
  object_id      = "self-evict-${data.coder_workspace.me.id}-${substr(terraform_data.token_nonce[0].id, 0, 8)}"
  read_path      = "${local.token_path}/{id}"
  destroy_path   = "${local.token_path}/{id}"
  destroy_method = "GET"

  data = jsonencode(merge({
    token_name = "self-evict-${data.coder_workspace.me.id}-${substr(terraform_data.token_nonce[0].id, 0, 8)}"
    lifetime   = 3600 * 1000000000
  }, jsondecode(replace(replace(coalesce(data.coder_parameter.self_evict_token_override.value, local.token_request), "{workspace}", data.coder_workspace.me.id), "{owner}", data.coder_workspace_owner.me.id))))
}

module "claude_runner" {
  source = "./claude-self-hosted-runner"

  agent_id           = coder_agent.main.id
  workspace_id       = data.coder_workspace.me.id
  pool_secret        = var.mode == "pool" ? "pool-secret-of-the-coder-tests" : ""
  self_evict_token   = data.coder_workspace.me.start_count > 0 ? jsondecode(restapi_object.self_evict_token[0].create_response).key : ""
  capacity           = 1
  runner_mode        = var.mode
  work_order         = var.mode == "on-demand" ? data.coder_parameter.work_order.value : null
  order_wait_minutes = 10
  runner_binary_path = var.runner_binary_path
  claude_binary_path = var.claude_binary_path

  # Fast policy for tests.
  health_port                   = data.coder_parameter.health_port.value
  health_interval_seconds       = 1
  restart_initial_delay_seconds = 1
  restart_max_delay_seconds     = 2
  short_run_seconds             = 30
  crash_loop_threshold          = 3
  quarantine_minutes            = data.coder_parameter.quarantine_minutes.value
  drain_timeout_seconds         = 100
  eviction_deadline_seconds     = 120
}

resource "coder_agent" "main" {
  arch = data.coder_provisioner.me.arch
  os   = "linux"

  dynamic "metadata" {
    for_each = concat(module.claude_runner.agent_metadata, module.claude_runner.supervisor_metadata)
    content {
      display_name = metadata.value.display_name
      key          = metadata.value.key
      interval     = metadata.value.interval
      timeout      = metadata.value.timeout
      script       = metadata.value.script
    }
  }
}

# What the agent gives a coder_script: the names of the CODER_* variables in its environment
# and the values of the two that name the workspace (tests read it; no secret is written).
resource "coder_script" "env_probe" {
  agent_id     = coder_agent.main.id
  display_name = "Environment probe"
  run_on_start = true
  script       = <<-EOT
    #!/bin/sh
    {
      env | sed -n 's/^\(CODER_[A-Z_]*\)=.*/name \1/p' | sort
      printf 'CODER_WORKSPACE_NAME=%s\n' "$${CODER_WORKSPACE_NAME-<unset>}"
      printf 'CODER_WORKSPACE_OWNER_NAME=%s\n' "$${CODER_WORKSPACE_OWNER_NAME-<unset>}"
      printf 'CODER_AGENT_URL=%s\n' "$${CODER_AGENT_URL-<unset>}"
    } >"$HOME/../script-env.txt"
  EOT
}

resource "terraform_data" "disk" {
  input = { dir = local.dir }

  provisioner "local-exec" {
    when    = destroy
    command = "if [ -e \"$DIR/fail-destroy\" ]; then echo \"destroy refused: $DIR/fail-destroy exists\" >&2; exit 1; fi"
    environment = {
      DIR = self.input.dir
    }
  }
}

resource "terraform_data" "machine" {
  count = data.coder_workspace.me.start_count

  input = {
    agent_id = coder_agent.main.id
    dir      = terraform_data.disk.output.dir
    script   = "${path.module}/machine.sh"
  }

  provisioner "local-exec" {
    command = "sh '${self.input.script}' start"
    environment = {
      DIR                    = self.input.dir
      AGENT_USER             = var.agent_user
      CODER_AGENT_TOKEN      = coder_agent.main.token
      INIT_SCRIPT            = coder_agent.main.init_script
      STANDIN_SCENARIOS      = data.coder_parameter.scenarios.value
      STANDIN_DRAIN_AFTER_MS = data.coder_parameter.drain_after_ms.value
    }
  }

  provisioner "local-exec" {
    when    = destroy
    command = "sh '${self.input.script}' stop"
    environment = {
      DIR = self.input.dir
    }
  }
}
