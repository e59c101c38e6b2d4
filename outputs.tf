locals {
  # The dashboard items, one list shared with the construct and the supervisor. Their scripts only
  # read the small files that the supervisor keeps in <state_dir>/items (no curl, no jq, no node
  # per poll), with shell builtins only, and print `?` when none exists yet.
  metadata_items = jsondecode(file("${path.module}/module/metadata-items.json"))

  read_item = "{ IFS= read -r v || [ -n \"$v\" ]; } 2>/dev/null <${local.shell_words.state_dir}/items/%s && printf '%%s' \"$v\" || printf '?'"

  read_supervisor_state = templatefile("${path.module}/module/supervisor-state.sh.tftpl", {
    state_dir_word = local.shell_words.state_dir
  })

  metadata = [for index, item in local.metadata_items : {
    display_name = item.display_name
    key          = item.key
    interval     = item.interval
    timeout      = item.timeout
    order        = var.order == null ? null : var.order + index
    script       = item.key == "4_supervisor_state" ? local.read_supervisor_state : format(local.read_item, item.key)
    output       = item.output
  }]
}

output "agent_metadata" {
  description = "Four agent metadata items (lock status, active sessions, runner ID, last Anthropic poll) to splat into a `dynamic \"metadata\"` block of the template's coder_agent."
  value       = [for item in local.metadata : { for k, v in item : k => v if k != "output" } if item.output == "agent_metadata"]
}

output "supervisor_metadata" {
  description = "Three more agent metadata items from the supervisor (state with its reason, runner restarts, last error), in the same shape as agent_metadata."
  value       = [for item in local.metadata : { for k, v in item : k => v if k != "output" } if item.output == "supervisor_metadata"]
}
