# The module against the real coder/coder provider: inputs reach resources, the rendered
# scripts hold the right paths and never a secret, and the metadata outputs.

variables {
  agent_id         = "test-agent"
  workspace_id     = "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
  pool_secret      = "test-pool-secret-value"
  self_evict_token = "test-self-token-value"
}

run "defaults_reach_every_resource" {
  command = plan

  assert {
    condition     = resource.coder_env.pool_secret.name == "CLAUDE_POOL_SECRET" && resource.coder_env.pool_secret.value == "test-pool-secret-value"
    error_message = "pool_secret must reach CLAUDE_POOL_SECRET"
  }
  assert {
    condition     = resource.coder_env.capacity.name == "CLAUDE_CAPACITY" && resource.coder_env.capacity.value == "4"
    error_message = "default capacity must be 4"
  }
  assert {
    condition     = resource.coder_env.git_bot_token.name == "GIT_BOT_TOKEN" && resource.coder_env.git_bot_token.value == ""
    error_message = "git_bot_token must default to an empty string"
  }
  assert {
    condition     = resource.coder_env.self_token.name == "CODER_SELF_TOKEN" && resource.coder_env.self_token.value == "test-self-token-value"
    error_message = "self_evict_token must reach CODER_SELF_TOKEN"
  }
  assert {
    condition     = resource.coder_env.workspace_id.name == "CODER_WORKSPACE_ID" && resource.coder_env.workspace_id.value == "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
    error_message = "workspace_id must reach CODER_WORKSPACE_ID"
  }
  assert {
    condition = alltrue([for r in [
      resource.coder_env.pool_secret, resource.coder_env.capacity, resource.coder_env.git_bot_token,
      resource.coder_env.self_token, resource.coder_env.workspace_id,
    ] : r.agent_id == "test-agent"])
    error_message = "every coder_env must be attached to the agent"
  }
  assert {
    condition     = resource.coder_script.claude_runner.display_name == "Claude self-hosted runner" && resource.coder_script.claude_runner.run_on_start && !resource.coder_script.claude_runner.start_blocks_login
    error_message = "the runner script must run on start without blocking login"
  }
  assert {
    condition     = strcontains(resource.coder_script.claude_runner.script, "RUNNER_BINARY='/usr/local/bin/claude'") && strcontains(resource.coder_script.claude_runner.script, "CLAUDE_BINARY='/opt/claude/claude'")
    error_message = "the default binary paths must appear in the rendered script"
  }
  assert {
    condition     = startswith(resource.coder_script.claude_runner.script, "#!/bin/sh\n") && strcontains(resource.coder_script.claude_runner.script, "set -- start \\\n") && strcontains(resource.coder_script.claude_runner.script, "exec \"$NODE\" \"$BUNDLE\" \"$@\"\n")
    error_message = "the launcher must be a POSIX sh script that runs the supervisor's start"
  }
  assert {
    condition     = strcontains(resource.coder_script.claude_runner.script, "--permission-mode bypassPermissions") && strcontains(resource.coder_script.claude_runner.script, "--health-port 8080") && strcontains(resource.coder_script.claude_runner.script, "--drain-timeout-sec 180")
    error_message = "the default policy flags must be rendered"
  }
  assert {
    condition     = strcontains(resource.coder_script.claude_runner.script, "STATE_DIR=\"$${XDG_STATE_HOME:-$HOME/.local/state}/claude-self-hosted-runner\"")
    error_message = "the default state dir must be expanded by the workspace's shell"
  }
}

run "no_secret_in_any_script" {
  command = plan

  variables {
    git_bot_token = "test-git-token-value"
  }

  assert {
    condition = alltrue([for s in [resource.coder_script.claude_runner.script, resource.coder_script.claude_runner_stop.script] :
      !strcontains(s, "test-pool-secret-value") && !strcontains(s, "test-self-token-value") && !strcontains(s, "test-git-token-value")
    ])
    error_message = "no secret value may appear in a rendered script"
  }
  assert {
    condition     = resource.coder_env.git_bot_token.value == "test-git-token-value"
    error_message = "git_bot_token must reach GIT_BOT_TOKEN"
  }
}

run "custom_values_and_paths_with_spaces_and_quotes" {
  command = plan

  variables {
    capacity           = 8
    runner_binary_path = "/custom/runner dir/claude"
    claude_binary_path = "/opt/it's claude/claude"
    permission_mode    = "auto"
    health_port        = 9123
    state_dir          = "/var/lib/claude runner"
    log_dir            = "/var/log/claude-runner"
    runner_base_dir    = "/srv/sessions"
    node_binary_path   = "/opt/node/bin/node"
  }

  assert {
    condition     = resource.coder_env.capacity.value == "8"
    error_message = "capacity must flow into CLAUDE_CAPACITY"
  }
  assert {
    condition     = strcontains(resource.coder_script.claude_runner.script, "RUNNER_BINARY='/custom/runner dir/claude'")
    error_message = "a runner path with spaces must be single-quoted in the script"
  }
  assert {
    condition     = strcontains(resource.coder_script.claude_runner.script, "CLAUDE_BINARY='/opt/it'\\''s claude/claude'")
    error_message = "a claude path with a quote must be shell-quoted in the script"
  }
  assert {
    condition     = strcontains(resource.coder_script.claude_runner.script, "STATE_DIR='/var/lib/claude runner'") && strcontains(resource.coder_script.claude_runner.script, "BASE_DIR='/srv/sessions'") && strcontains(resource.coder_script.claude_runner.script, "--log-dir '/var/log/claude-runner'")
    error_message = "state, base and log dirs must be rendered"
  }
  assert {
    condition     = strcontains(resource.coder_script.claude_runner.script, "NODE='/opt/node/bin/node'") && strcontains(resource.coder_script.claude_runner.script, "--permission-mode auto") && strcontains(resource.coder_script.claude_runner.script, "--health-port 9123")
    error_message = "node path, permission mode and health port must be rendered"
  }
  assert {
    condition     = strcontains(resource.coder_script.claude_runner_stop.script, "STATE_DIR='/var/lib/claude runner'") && strcontains(resource.coder_script.claude_runner_stop.script, "--log-dir '/var/log/claude-runner'")
    error_message = "the stop script must use the same state and log dirs"
  }
}

run "stop_script_drains_with_the_whole_budget" {
  command = plan

  variables {
    drain_timeout_seconds = 240
  }

  assert {
    condition     = resource.coder_script.claude_runner_stop.run_on_stop && !resource.coder_script.claude_runner_stop.run_on_start
    error_message = "the stop script must run on stop only"
  }
  assert {
    condition     = strcontains(resource.coder_script.claude_runner_stop.script, "\"$BUNDLE\" stop --state-dir \"$STATE_DIR\" --drain-timeout-sec 240")
    error_message = "the stop script must call the supervisor's stop with the drain timeout"
  }
  assert {
    condition     = resource.coder_script.claude_runner_stop.timeout == 270
    error_message = "the stop script's timeout must leave room for the whole drain budget"
  }
}

run "embedded_bundle_matches_module_supervisor" {
  command = plan

  assert {
    condition     = strcontains(resource.coder_script.claude_runner.script, filebase64("${path.module}/module/supervisor.cjs.br"))
    error_message = "the launcher must embed module/supervisor.cjs"
  }
  assert {
    condition     = strcontains(resource.coder_script.claude_runner.script, "SUM='${filesha256("${path.module}/module/supervisor.cjs")}'")
    error_message = "the launcher must carry the bundle's checksum"
  }
}

run "preinstalled_supervisor_keeps_the_script_small" {
  command = plan

  variables {
    supervisor_path = "/opt/claude-runner/supervisor.cjs"
  }

  assert {
    condition     = strcontains(resource.coder_script.claude_runner.script, "BUNDLE='/opt/claude-runner/supervisor.cjs'") && !strcontains(resource.coder_script.claude_runner.script, "SUPERVISOR_BUNDLE")
    error_message = "with supervisor_path the launcher must not embed the bundle"
  }
  assert {
    condition     = length(resource.coder_script.claude_runner.script) < 4096
    error_message = "without the embedded bundle the launcher must stay under 4 KiB"
  }
  assert {
    condition     = strcontains(resource.coder_script.claude_runner_stop.script, "BUNDLE='/opt/claude-runner/supervisor.cjs'")
    error_message = "the stop script must use the pre-installed supervisor too"
  }
}

run "runner_options_reach_the_launcher" {
  command = plan

  variables {
    client_label                 = "alice/runner 'seven'"
    release_idle_session_minutes = 15
    kill_session_after_minutes   = 240
    exit_if_unused_minutes       = 30
    drain_wait_seconds           = 20
    hooks_dir                    = "/opt/claude hooks"
    agent_proxy_url              = "https://proxy.example.com/"
    runner_log_level             = "debug"
    extra_runner_args            = ["--drain-grace-sec", "0"]
  }

  assert {
    condition = alltrue([for word in [
      "--release-idle-session-min 15",
      "--kill-session-after-min 240",
      "--exit-if-unused-min 30",
      "--drain-wait-sec 20",
      "--runner-log-level debug",
      "--client-label 'alice/runner '\\''seven'\\'''",
      "--hooks-dir '/opt/claude hooks'",
      "--agent-proxy-url 'https://proxy.example.com/'",
      "--extra-runner-arg='--drain-grace-sec' --extra-runner-arg='0'",
    ] : strcontains(resource.coder_script.claude_runner.script, word)])
    error_message = "every runner option reaches the launcher, each value one quoted word"
  }
  assert {
    condition     = resource.coder_script.claude_runner_stop.timeout == 180 + 20 + 30 && strcontains(resource.coder_script.claude_runner_stop.script, "--drain-wait-sec 20")
    error_message = "the stop waits for the runner's budget plus the drain wait"
  }
}

run "runner_options_off_by_default" {
  command = plan

  assert {
    condition = alltrue([for flag in ["--release-idle-session-min", "--kill-session-after-min", "--exit-if-unused-min", "--client-label", "--hooks-dir", "--agent-proxy-url", "--extra-runner-arg"] :
    !strcontains(resource.coder_script.claude_runner.script, flag)])
    error_message = "an option left null is not passed"
  }
}

run "extra_runner_args_refuse_owned_flags" {
  command = plan
  variables { extra_runner_args = ["--health-port=9"] }
  expect_failures = [var.extra_runner_args]
}

run "agent_proxy_url_must_be_https_without_credentials" {
  command = plan
  variables { agent_proxy_url = "https://user:pass@proxy.example.com" }
  expect_failures = [var.agent_proxy_url]
}
