output "agent_metadata" {
  description = "Seven agent metadata items (Anthropic connection, last spawn poll, spawn requests by outcome, standby orders, supervisor state, restarts, last error) to splat into a `dynamic \"metadata\"` block of the orchestrator workspace's coder_agent."
  value       = [for item in module.scripts.metadata : { for k, v in item : k => v if k != "output" }]
}
