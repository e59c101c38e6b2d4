# The orchestrator sub-module against the real coder/coder provider: its inputs reach the
# resources, the rendered scripts hold the binary and the flags but never a secret, the rules
# between inputs, and its dashboard items.

variables {
  agent_id        = "orchestrator-agent"
  pool_secret     = "test-environment-secret-value"
  coder_token     = "test-coder-token-value"
  runner_template = "claude-runner-on-demand"
  runner_preset   = "on-demand"
}

run "inputs_reach_the_resources" {
  command = plan
  assert {
    condition     = resource.coder_env.environment_secret.name == "CLAUDE_POOL_SECRET" && resource.coder_env.environment_secret.value == "test-environment-secret-value"
    error_message = "the environment secret reaches CLAUDE_POOL_SECRET"
  }
  assert {
    condition     = resource.coder_env.coder_token.name == "CODER_SPAWN_TOKEN" && resource.coder_env.coder_token.value == "test-coder-token-value"
    error_message = "the Coder token reaches CODER_SPAWN_TOKEN"
  }
  assert {
    condition     = resource.coder_script.orchestrator.run_on_start && strcontains(resource.coder_script.orchestrator.script, "RUNNER_BINARY='/usr/local/bin/claude'") && strcontains(resource.coder_script.orchestrator.script, "--role orchestrator")
    error_message = "the launcher runs the supervisor's orchestrator role with the binary shown"
  }
  assert {
    condition = alltrue([for flag in [
      "--runner-template 'claude-runner-on-demand'", "--runner-preset 'on-demand'", "--runner-owner 'me'",
      "--hook-concurrency 4", "--hook-timeout-sec 60", "--expected-spawn-sec 120", "--min-idle 0",
      "--drain-timeout-sec 100", "--work-order-parameter 'work_order'", "--workspace-name-prefix 'claude-run'",
    ] : strcontains(resource.coder_script.orchestrator.script, flag)])
    error_message = "the orchestrator's flags are rendered"
  }
  assert {
    condition     = !strcontains(resource.coder_script.orchestrator.script, "test-environment-secret-value") && !strcontains(resource.coder_script.orchestrator.script, "test-coder-token-value") && !strcontains(resource.coder_script.orchestrator_stop.script, "test-coder-token-value")
    error_message = "no secret in any script"
  }
  assert {
    condition     = resource.coder_script.orchestrator_stop.run_on_stop && resource.coder_script.orchestrator_stop.timeout == 130 && strcontains(resource.coder_script.orchestrator_stop.script, "--drain-timeout-sec 100")
    error_message = "the stop drains with the budget the hook timeout gives (at least 100 s)"
  }
  assert {
    condition     = [for m in output.agent_metadata : m.key] == ["0_connected", "1_last_poll", "2_spawn_hooks", "3_standby", "4_supervisor_state", "5_restarts", "6_last_error"]
    error_message = "the orchestrator's dashboard items"
  }
  assert {
    condition     = alltrue([for m in output.agent_metadata : !strcontains(m.script, "curl") && !strcontains(m.script, "node")])
    error_message = "metadata scripts only read files"
  }
}

run "a_long_hook_timeout_grows_the_stop_budget" {
  command = plan
  variables {
    hook_timeout_seconds   = 300
    expected_spawn_seconds = 600
  }
  assert {
    condition     = resource.coder_script.orchestrator_stop.timeout == 355 && strcontains(resource.coder_script.orchestrator_stop.script, "--drain-timeout-sec 325")
    error_message = "stop budget = hook timeout + 10 (the orchestrator's shutdown drain) + 15"
  }
}

run "the_lease_must_exceed_the_hook_timeout_plus_5" {
  command = plan
  variables {
    hook_timeout_seconds   = 120
    expected_spawn_seconds = 120
  }
  expect_failures = [resource.coder_script.orchestrator]
}

run "min_idle_is_bounded" {
  command = plan
  variables { min_idle = 201 }
  expect_failures = [var.min_idle]
}

run "a_workspace_name_prefix_must_leave_room_for_the_hash" {
  command = plan
  variables { workspace_name_prefix = "much-too-long-prefix" }
  expect_failures = [var.workspace_name_prefix]
}
