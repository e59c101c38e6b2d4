locals {
  # The orchestrator's dashboard items: their scripts only read the files that the supervisor keeps
  # in <state_dir>/items, and print `?` when none exists yet.
  metadata_items = jsondecode(file("${path.module}/../module/orchestrator-metadata-items.json"))

  read_item = "{ IFS= read -r v || [ -n \"$v\" ]; } 2>/dev/null <${local.shell_words.state_dir}/items/%s && printf '%%s' \"$v\" || printf '?'"

  read_supervisor_state = templatefile("${path.module}/../module/supervisor-state.sh.tftpl", {
    state_dir_word = local.shell_words.state_dir
  })
}

output "agent_metadata" {
  description = "Seven agent metadata items (Anthropic connection, last spawn poll, spawn requests by outcome, standby orders, supervisor state, restarts, last error) to splat into a `dynamic \"metadata\"` block of the orchestrator workspace's coder_agent."
  value = [for index, item in local.metadata_items : {
    display_name = item.display_name
    key          = item.key
    interval     = item.interval
    timeout      = item.timeout
    order        = var.order == null ? null : var.order + index
    script       = item.key == "4_supervisor_state" ? local.read_supervisor_state : format(local.read_item, item.key)
  }]
}
