# A complete Coder template: the orchestrator of the on-demand mode. One long-lived workspace of
# it runs `claude self-hosted-runner orchestrator` under the supervisor; for each spawn request
# its spawn-runner hook creates one workspace of the runner template (../runner) for the
# runner-owner account. It alone holds the environment secret, and it never runs user code.

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
  }
}

data "coder_provisioner" "me" {}
data "coder_workspace" "me" {}
data "coder_workspace_owner" "me" {}

provider "docker" {
  host = var.docker_host
}

module "orchestrator" {
  # Copying this template? Point this at a pinned release of the module instead:
  # source = "git::https://github.com/your-org/claude-self-hosted-runner.git//orchestrator?ref=v0.1.0"
  source = "../../../orchestrator"

  agent_id = coder_agent.main.id
  # The self-hosted environment's secret: it reaches the orchestrator as a 0400 file, and no
  # runner workspace ever gets it.
  pool_secret = var.environment_secret
  # The runner-owner account's token: the spawn-runner hook creates the runner workspaces with it
  # (a 0400 file for the hook, never an environment or a command line of the orchestrator).
  coder_token = var.runner_owner_token

  runner_template     = var.runner_template
  runner_preset       = var.runner_preset
  runner_owner        = var.runner_owner
  runner_organization = var.runner_organization

  min_idle               = var.min_idle
  hook_concurrency       = var.hook_concurrency
  hook_timeout_seconds   = var.hook_timeout_seconds
  expected_spawn_seconds = var.expected_spawn_seconds
}

resource "coder_agent" "main" {
  arch = data.coder_provisioner.me.arch
  os   = "linux"

  # The orchestrator's dashboard: connected, last poll, spawn requests by outcome, standby
  # orders, supervisor state, restarts, last error.
  dynamic "metadata" {
    for_each = module.orchestrator.agent_metadata
    content {
      display_name = metadata.value.display_name
      key          = metadata.value.key
      interval     = metadata.value.interval
      timeout      = metadata.value.timeout
      script       = metadata.value.script
    }
  }
}

# The supervisor's state and logs survive a restart of the workspace.
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
  # A long-lived workspace: the orchestrator comes back after a host restart.
  restart = "unless-stopped"

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
