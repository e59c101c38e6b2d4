output "launcher" {
  description = "The start script: the bundle embedded (or supervisor_path), the supervisor's flags."
  value       = local.launcher
}

output "stopper" {
  description = "The stop script: one drain of the supervised program within its budget."
  value       = local.stopper
}

output "stop_timeout" {
  description = "The stop script's timeout: the whole stop budget plus time for the supervisor to persist its state."
  value       = var.drain_timeout + var.drain_wait + 30
}

output "metadata" {
  description = "The dashboard items, each with the output (agent_metadata or supervisor_metadata) it belongs to."
  value       = local.metadata
}
