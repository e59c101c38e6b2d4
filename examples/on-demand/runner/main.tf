# A complete Coder template: the on-demand runner. The orchestrator's spawn-runner hook creates
# one workspace of this template per session, with the session's work order as the build
# parameter `work_order`; the preset's prebuilds are only a warm buffer that such a create
# claims. The workspace serves that one session and deletes itself. No environment secret ever
# enters it: the orchestrator (../orchestrator) alone holds that.

terraform {
  required_version = ">= 1.9"

  required_providers {
    coder = {
      source  = "coder/coder"
      version = ">= 2.13"
    }
    docker = {
      source  = "kreuzwerker/docker"
      version = ">= 3.0"
    }
    restapi = {
      source  = "Mastercard/restapi"
      version = ">= 1.20"
    }
  }
}

data "coder_provisioner" "me" {}
data "coder_workspace" "me" {}
data "coder_workspace_owner" "me" {}

# The session's work order, put into the create request by the spawn-runner hook (the
# orchestrator's work_order_parameter names it). Ephemeral: the next build of the workspace
# (a restart) has it empty again, and the order is spent after one registration anyway. A
# prebuild has none: it is empty until the claim's start build brings it.
data "coder_parameter" "work_order" {
  name         = "work_order"
  display_name = "Work order"
  description  = "Set by the orchestrator's spawn-runner hook: the session's single-use work order. Leave it empty."
  type         = "string"
  default      = ""
  mutable      = true
  ephemeral    = true
}

# The warm buffer: the prebuild reconciler keeps `warm_workspaces` runner workspaces built and
# waiting (Premium; the open-source server builds every workspace fresh). A create with this
# preset claims one: ownership passes to the runner-owner account and a start build brings the
# work order. The preset sets no parameter: the work order is the only one, and it is the claim's.
data "coder_workspace_preset" "on_demand" {
  name        = "on-demand"
  description = "Claude Code runner for one session (the orchestrator creates these)."

  prebuilds {
    instances = var.warm_workspaces

    # A claimed workspace is no longer a prebuild, so this ttl never cuts a session short (in
    # pool mode it does). It bounds how long an unclaimed one waits: a stale one (an older image,
    # a token near its end) is replaced by a fresh build.
    expiration_policy {
      ttl = var.prebuild_ttl_seconds
    }
  }
}

provider "docker" {
  host = var.docker_host
}

# Mints the per-workspace self-evict token at build time. The bootstrap token stays in the
# provisioner and in Terraform state; it never reaches the workspace.
provider "restapi" {
  uri                  = data.coder_workspace.me.access_url
  write_returns_object = true
  headers = {
    "Coder-Session-Token" = var.coder_bootstrap_token
    "Content-Type"        = "application/json"
  }
}

locals {
  token_path = "/api/v2/users/${data.coder_workspace_owner.me.id}/keys/tokens"
  # The smallest token that deletes its own workspace (docs/self-evict-token.md), as in
  # examples/prebuilt-runner-pool: why each entry is there is said there.
  self_evict_scopes     = ["workspace:read", "workspace:delete", "template:read", "user:read"]
  self_evict_allow_list = ["workspace:${data.coder_workspace.me.id}", "template:*", "user:${data.coder_workspace_owner.me.id}"]
  # A waiting prebuild lives up to its ttl; a claimed workspace up to the runner's lifetime.
  token_lifetime_seconds = max(var.prebuild_ttl_seconds, var.max_lifetime_minutes * 60) + 3600
}

# Token names are unique per user, and a destroyed restapi_object leaves its token to expire:
# each start gets a name of its own (terraform_data takes a new random id whenever it is created).
resource "terraform_data" "token_nonce" {
  count = data.coder_workspace.me.start_count
}

# A prebuild's token belongs to the `prebuilds` user, which cannot delete the workspace once a
# claim has handed it to the runner-owner account: the claim's start build mints a new token for
# the new owner (force_new), and the agent's scripts, run again at the claim, get it.
resource "restapi_object" "self_evict_token" {
  count = data.coder_workspace.me.start_count

  path      = local.token_path
  object_id = "self-evict-${data.coder_workspace.me.id}-${substr(terraform_data.token_nonce[0].id, 0, 8)}"
  read_path = "${local.token_path}/{id}"
  # Coder deletes tokens by key id, which only the create response knows. The token is useless
  # once its workspace is gone (allow_list) and expires after its lifetime, so destroy is a read.
  destroy_path   = "${local.token_path}/{id}"
  destroy_method = "GET"
  force_new      = [data.coder_workspace_owner.me.id]

  data = jsonencode({
    token_name = "self-evict-${data.coder_workspace.me.id}-${substr(terraform_data.token_nonce[0].id, 0, 8)}"
    lifetime   = local.token_lifetime_seconds * 1000000000 # nanoseconds
    scopes     = local.self_evict_scopes
    allow_list = local.self_evict_allow_list
  })
}

module "claude_runner" {
  # Copying this template? Point this at a pinned release of the module instead:
  # source = "git::https://github.com/your-org/claude-self-hosted-runner.git?ref=v0.1.0"
  source = "../../.."

  agent_id     = coder_agent.main.id
  workspace_id = data.coder_workspace.me.id

  runner_mode = "on-demand"
  # The environment secret stays on the orchestrator: the module refuses one here.
  pool_secret = ""
  work_order  = data.coder_parameter.work_order.value
  # A prebuild waits to be claimed, however long that takes; a workspace built for a session
  # whose order does not come gives up after this (a restart after its runner started
  # self-evicts at once: the order is spent).
  order_wait_minutes = data.coder_workspace.me.is_prebuild ? 0 : var.order_wait_minutes

  self_evict_token = data.coder_workspace.me.start_count > 0 ? jsondecode(restapi_object.self_evict_token[0].create_response).key : ""
  git_bot_token    = var.git_bot_token
  # One session per workspace: the supervisor runs an on-demand runner with --capacity 1 anyway.
  capacity             = 1
  max_lifetime_minutes = var.max_lifetime_minutes
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

# The supervisor's state (which order was served, the lock) outlives a stop of the workspace,
# so a restart after the session self-evicts at once.
resource "docker_volume" "home" {
  name = "coder-${data.coder_workspace.me.id}-home"

  lifecycle {
    ignore_changes = all
  }
}

resource "docker_container" "workspace" {
  count = data.coder_workspace.me.start_count
  image = var.image
  # Named by the workspace id, which a claim keeps: the owner's and the workspace's names change
  # at a claim, and in a name or hostname they would replace the warm container with a cold one.
  # The agent token stays the same across a claim (the provider reuses it).
  name     = "coder-claude-runner-${data.coder_workspace.me.id}"
  hostname = "claude-runner"

  # The agent's init script, reaching the Coder deployment from inside the container.
  entrypoint = ["sh", "-c", replace(coder_agent.main.init_script, "/localhost|127\\.0\\.0\\.1/", "host.docker.internal")]
  env        = ["CODER_AGENT_TOKEN=${coder_agent.main.token}"]

  host {
    host = "host.docker.internal"
    ip   = "host-gateway"
  }

  volumes {
    container_path = "/home/coder"
    volume_name    = docker_volume.home.name
    read_only      = false
  }
}
