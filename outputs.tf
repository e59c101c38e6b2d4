output "agent_metadata" {
  description = "Four agent metadata items (lock status, active sessions, runner ID, last Anthropic poll) to splat into a `dynamic \"metadata\"` block of the template's coder_agent."
  value       = [for item in module.scripts.metadata : { for k, v in item : k => v if k != "output" } if item.output == "agent_metadata"]
}

output "supervisor_metadata" {
  description = "Three more agent metadata items from the supervisor (state with its reason, runner restarts, last error), in the same shape as agent_metadata."
  value       = [for item in module.scripts.metadata : { for k, v in item : k => v if k != "output" } if item.output == "supervisor_metadata"]
}
