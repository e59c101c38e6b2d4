# The smallest template for the token matrix (tests/coder/token-matrix.test.ts): a workspace
# with one resource and no agent, so its builds take seconds. The fixture pushes it twice: as a
# template with dynamic parameters (Coder's default) and with the classic parameter flow.
terraform {
  required_version = ">= 1.9"

  required_providers {
    coder = {
      source  = "coder/coder"
      version = ">= 2.13"
    }
  }
}

data "coder_workspace" "me" {}

resource "terraform_data" "workspace" {
  count = data.coder_workspace.me.start_count
  input = data.coder_workspace.me.id
}
