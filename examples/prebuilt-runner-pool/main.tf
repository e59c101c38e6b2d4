# A complete Coder template: a pool of prebuilt Docker workspaces, each a single-use host for
# one Claude Code self-hosted runner that deletes its own workspace when it is done.

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

# The pool: the prebuild reconciler keeps `pool_size` idle runners ready. Runner workspaces are
# never claimed, so they stay prebuilds their whole life and this ttl applies to them even
# mid-session: keep it above the maximum lifetime plus the drain budget.
data "coder_workspace_preset" "pool" {
  name    = "runner-pool"
  default = true

  prebuilds {
    instances = var.pool_size

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
  # The smallest token that deletes its own workspace (see below and docs/self-evict-token.md).
  self_evict_scopes     = ["workspace:read", "workspace:delete", "template:read", "user:read"]
  self_evict_allow_list = ["workspace:${data.coder_workspace.me.id}", "template:*", "user:${data.coder_workspace_owner.me.id}"]
}

# Token names are unique per user, and a destroyed restapi_object leaves its token to expire
# (below): each start gets a name of its own (terraform_data takes a new random id whenever it
# is created), so a stopped workspace, or one whose delete build failed, can start again.
resource "terraform_data" "token_nonce" {
  count = data.coder_workspace.me.start_count
}

# The smallest token that deletes its own workspace, measured on a real Coder v2.36.0 with a
# plain member as the owner (docs/self-evict-token.md: why each entry, what a leaked copy can do):
# - workspace:delete on workspace:<this id>: the eviction; workspace:read: the supervisor checks
#   whether its delete is already queued after a lost answer.
# - template:read on template:*: a delete build reads the workspace's template (without it, the
#   delete answers 500 "rbac: forbidden"). template:<this template's id> lets the delete through
#   but breaks GET of the workspace (a 500, a Coder bug), so the entry is template:*; a leaked
#   copy can read every template's metadata.
# - user:read on user:<owner id>: with dynamic parameters (the default for new templates) a
#   delete build reads the owner (without it, 400 "Failed to fetch workspace owner"). A template
#   with the classic parameter flow can drop both.
resource "restapi_object" "self_evict_token" {
  count = data.coder_workspace.me.start_count

  path      = local.token_path
  object_id = "self-evict-${data.coder_workspace.me.id}-${substr(terraform_data.token_nonce[0].id, 0, 8)}"
  read_path = "${local.token_path}/{id}"
  # Coder deletes tokens by key id, which only the create response knows. The token is useless
  # once its workspace is gone (allow_list) and expires after its lifetime, so destroy is a read.
  destroy_path   = "${local.token_path}/{id}"
  destroy_method = "GET"

  data = jsonencode({
    token_name = "self-evict-${data.coder_workspace.me.id}-${substr(terraform_data.token_nonce[0].id, 0, 8)}"
    lifetime   = (var.prebuild_ttl_seconds + 3600) * 1000000000 # nanoseconds
    scopes     = local.self_evict_scopes
    allow_list = local.self_evict_allow_list
  })
}

module "claude_runner" {
  # Copying this template? Point this at a pinned release of the module instead:
  # source = "git::https://github.com/your-org/claude-self-hosted-runner.git?ref=v0.1.0"
  source = "../.."

  agent_id         = coder_agent.main.id
  workspace_id     = data.coder_workspace.me.id
  pool_secret      = var.pool_secret
  self_evict_token = data.coder_workspace.me.start_count > 0 ? jsondecode(restapi_object.self_evict_token[0].create_response).key : ""
  git_bot_token    = var.git_bot_token
  capacity         = var.capacity
  # Keep the workspace's TTL above this plus drain_timeout_seconds (see prebuild_ttl_seconds).
  max_lifetime_minutes = var.max_lifetime_minutes
}

resource "coder_agent" "main" {
  arch = data.coder_provisioner.me.arch
  os   = "linux"

  metadata {
    display_name = "CPU"
    key          = "cpu"
    script       = "coder stat cpu"
    interval     = 10
    timeout      = 5
  }

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

resource "docker_volume" "home" {
  name = "coder-${data.coder_workspace.me.id}-home"

  lifecycle {
    ignore_changes = all
  }
}

resource "docker_container" "workspace" {
  count    = data.coder_workspace.me.start_count
  image    = var.image
  name     = "coder-${data.coder_workspace_owner.me.name}-${lower(data.coder_workspace.me.name)}"
  hostname = data.coder_workspace.me.name

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
