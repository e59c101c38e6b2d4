# An on-demand runner template that a test deletes after the orchestrator's boot check passed on
# it: it has what that check asks for (the work order's ephemeral, mutable parameter and the
# preset) and nothing else, since no workspace is ever built from it.

terraform {
  required_providers {
    coder = {
      source = "coder/coder"
    }
  }
}

data "coder_parameter" "work_order" {
  name      = "work_order"
  type      = "string"
  default   = ""
  mutable   = true
  ephemeral = true
}

data "coder_workspace_preset" "on_demand" {
  name = "on-demand"
}
