# On-demand mode of the runner module: the work order instead of the environment secret, and the
# rules between them; a pool template that sets only pool_secret renders as before.

variables {
  agent_id         = "test-agent"
  workspace_id     = "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
  pool_secret      = "test-pool-secret-value"
  self_evict_token = "test-self-token-value"
}

run "pool_mode_is_the_default_and_has_no_work_order" {
  command = plan
  assert {
    condition     = resource.coder_env.work_order.name == "CLAUDE_WORK_ORDER" && resource.coder_env.work_order.value == ""
    error_message = "in pool mode the work order variable is empty"
  }
  assert {
    condition     = strcontains(resource.coder_script.claude_runner.script, "--mode pool")
    error_message = "the launcher passes the mode"
  }
}

run "on_demand_takes_the_work_order_and_no_secret" {
  command = plan
  variables {
    runner_mode        = "on-demand"
    pool_secret        = ""
    work_order         = "eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJ4In0.c2ln"
    order_wait_minutes = 0
  }
  assert {
    condition     = resource.coder_env.work_order.value == "eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJ4In0.c2ln" && resource.coder_env.pool_secret.value == ""
    error_message = "on-demand: the work order reaches CLAUDE_WORK_ORDER, the secret is empty"
  }
  assert {
    condition     = strcontains(resource.coder_script.claude_runner.script, "--mode on-demand") && strcontains(resource.coder_script.claude_runner.script, "--order-wait-min 0")
    error_message = "the launcher passes the mode and the order wait"
  }
  assert {
    condition     = !strcontains(resource.coder_script.claude_runner.script, "eyJqdGkiOiJ4In0")
    error_message = "the work order never appears in the rendered script"
  }
}

run "on_demand_prebuild_waits_with_an_empty_order" {
  command = plan
  variables {
    runner_mode = "on-demand"
    pool_secret = ""
    work_order  = ""
  }
  assert {
    condition     = resource.coder_env.work_order.value == ""
    error_message = "a prebuild has no work order yet"
  }
}

run "on_demand_refuses_the_environment_secret" {
  command = plan
  variables {
    runner_mode = "on-demand"
    work_order  = "x.y.z"
  }
  expect_failures = [resource.coder_script.claude_runner]
}

run "pool_mode_refuses_a_work_order" {
  command = plan
  variables { work_order = "x.y.z" }
  expect_failures = [resource.coder_script.claude_runner]
}

run "pool_mode_refuses_an_empty_secret" {
  command = plan
  variables { pool_secret = "" }
  expect_failures = [resource.coder_script.claude_runner]
}

run "mode_rejects_unknown" {
  command = plan
  variables { runner_mode = "elastic" }
  expect_failures = [var.runner_mode]
}
