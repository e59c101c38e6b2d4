# The light runner template of the on-demand bench's burst (bench/on-demand/): what the
# spawn-runner hook creates from, as an on-demand runner template has it (a preset whose
# prebuilds would be the warm buffer on Premium: the open-source server accepts the preset and
# never prebuilds; the work order as an ephemeral, mutable string parameter, empty in a prebuild),
# but with no machine: a build makes one resource and the delete removes it, so that a burst of
# 50 workspaces fits on a small host. The requests one after another use the real server's
# `ondemand` template instead (tests/coder/template, the module with the real runner).

terraform {
  required_version = ">= 1.9"

  required_providers {
    coder = {
      source  = "coder/coder"
      version = ">= 2.13"
    }
  }
}

data "coder_provisioner" "me" {}
data "coder_workspace" "me" {}

data "coder_parameter" "work_order" {
  name      = "work_order"
  type      = "string"
  default   = ""
  mutable   = true
  ephemeral = true
}

data "coder_workspace_preset" "on_demand" {
  name = "on-demand"

  prebuilds {
    instances = 2
  }
}

resource "coder_agent" "main" {
  arch = data.coder_provisioner.me.arch
  os   = "linux"
}

# Something that the build makes and the delete removes, in the place of a machine.
resource "terraform_data" "light" {
  count = data.coder_workspace.me.start_count
  input = data.coder_workspace.me.id
}
