# Each validation rejects what it must and accepts its bounds.

variables {
  agent_id         = "test-agent"
  workspace_id     = "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
  pool_secret      = "test-pool-secret-value"
  self_evict_token = "test-self-token-value"
}

run "capacity_rejects_zero" {
  command = plan
  variables { capacity = 0 }
  expect_failures = [var.capacity]
}

run "capacity_rejects_seventeen" {
  command = plan
  variables { capacity = 17 }
  expect_failures = [var.capacity]
}

run "capacity_accepts_one" {
  command = plan
  variables { capacity = 1 }
  assert {
    condition     = resource.coder_env.capacity.value == "1"
    error_message = "capacity 1 is allowed"
  }
}

run "capacity_accepts_sixteen" {
  command = plan
  variables { capacity = 16 }
  assert {
    condition     = resource.coder_env.capacity.value == "16"
    error_message = "capacity 16 is allowed"
  }
}

run "permission_mode_rejects_unknown" {
  command = plan
  variables { permission_mode = "yolo" }
  expect_failures = [var.permission_mode]
}

run "health_port_rejects_zero" {
  command = plan
  variables { health_port = 0 }
  expect_failures = [var.health_port]
}

run "health_port_rejects_fractions" {
  command = plan
  variables { health_port = 80.5 }
  expect_failures = [var.health_port]
}

run "health_port_accepts_bounds" {
  command = plan
  variables { health_port = 65535 }
  assert {
    condition     = strcontains(resource.coder_script.claude_runner.script, "--health-port 65535")
    error_message = "65535 is allowed"
  }
}

run "drain_timeout_rejects_less_than_the_runner_budget" {
  command = plan
  variables { drain_timeout_seconds = 99 }
  expect_failures = [var.drain_timeout_seconds]
}

run "drain_timeout_accepts_the_runner_budget" {
  command = plan
  variables { drain_timeout_seconds = 100 }
  assert {
    condition     = resource.coder_script.claude_runner_stop.timeout == 130
    error_message = "100 (80 s to stop plus 20 s for a release in flight) is allowed"
  }
}

run "short_run_rejects_less_than_the_registration_failure_time" {
  command = plan
  variables { short_run_seconds = 29 }
  expect_failures = [var.short_run_seconds]
}

run "quarantine_accepts_fractions" {
  command = plan
  variables { quarantine_minutes = 0.5 }
  assert {
    condition     = strcontains(resource.coder_script.claude_runner.script, "--quarantine-min 0.5")
    error_message = "half a minute is allowed"
  }
}

run "quarantine_rejects_negative" {
  command = plan
  variables { quarantine_minutes = -1 }
  expect_failures = [var.quarantine_minutes]
}

run "quarantine_accepts_zero_as_never" {
  command = plan
  variables { quarantine_minutes = 0 }
  assert {
    condition     = strcontains(resource.coder_script.claude_runner.script, "--quarantine-min 0")
    error_message = "0 (never) is allowed"
  }
}

run "max_lifetime_rejects_negative" {
  command = plan
  variables { max_lifetime_minutes = -5 }
  expect_failures = [var.max_lifetime_minutes]
}

run "crash_loop_threshold_rejects_one" {
  command = plan
  variables { crash_loop_threshold = 1 }
  expect_failures = [var.crash_loop_threshold]
}

run "health_interval_rejects_zero" {
  command = plan
  variables { health_interval_seconds = 0 }
  expect_failures = [var.health_interval_seconds]
}

run "restart_delays_reject_zero" {
  command = plan
  variables { restart_initial_delay_seconds = 0 }
  expect_failures = [var.restart_initial_delay_seconds]
}

run "restart_initial_above_max_fails_the_precondition" {
  command = plan
  variables {
    restart_initial_delay_seconds = 600
    restart_max_delay_seconds     = 300
  }
  expect_failures = [resource.coder_script.claude_runner]
}

run "short_run_rejects_zero" {
  command = plan
  variables { short_run_seconds = 0 }
  expect_failures = [var.short_run_seconds]
}

run "eviction_deadline_rejects_too_short" {
  command = plan
  variables { eviction_deadline_seconds = 5 }
  expect_failures = [var.eviction_deadline_seconds]
}

run "state_dir_rejects_relative" {
  command = plan
  variables { state_dir = "relative/state" }
  expect_failures = [var.state_dir]
}

run "log_dir_rejects_relative" {
  command = plan
  variables { log_dir = "logs" }
  expect_failures = [var.log_dir]
}

run "runner_base_dir_rejects_relative" {
  command = plan
  variables { runner_base_dir = "workspace" }
  expect_failures = [var.runner_base_dir]
}

run "supervisor_path_rejects_relative" {
  command = plan
  variables { supervisor_path = "supervisor.cjs" }
  expect_failures = [var.supervisor_path]
}

run "node_binary_path_rejects_empty" {
  command = plan
  variables { node_binary_path = " " }
  expect_failures = [var.node_binary_path]
}
