locals {
  # Every path the rendered scripts use, as one POSIX shell word: a value is single-quoted (any
  # character works); a default that depends on $HOME stays double-quoted so the workspace's shell
  # expands it. Suffixes are appended unquoted ('/a b'/items), which the shell joins into one word.
  shell_words = {
    for name, value in var.shell_values :
    name => value == null ? lookup(var.shell_defaults, name, "") : "'${replace(value, "'", "'\\''")}'"
  }

  # Flags whose values are paths or text, passed only when set, each value one quoted word; then
  # the operator's extra runner arguments, one repeated flag each.
  optional_args = join(" ", concat(
    [for flag, name in var.optional_flags : "--${flag} ${local.shell_words[name]}" if local.shell_words[name] != ""],
    [for arg in var.extra_args : "--extra-runner-arg='${replace(arg, "'", "'\\''")}'"],
  ))

  role_flags = join(" ", concat(
    [var.role_flags],
    [for flag, name in var.role_flag_inputs : "--${flag} ${local.shell_words[name]}"],
  ))

  bundle   = "${var.module_dir}/${var.bundle}"
  embedded = lookup(var.shell_values, "supervisor_path", null) == null

  launcher = templatefile("${var.module_dir}/launch.sh.tftpl", {
    node_word       = local.shell_words.node_binary_path
    state_dir_word  = local.shell_words.state_dir
    optional_args   = local.optional_args
    role_words      = { for name, input in var.role_words : name => local.shell_words[input] }
    role_flags      = local.role_flags
    supervisor_word = local.shell_words.supervisor_path
    bundle_sha256   = local.embedded ? trimspace(file("${local.bundle}.sha256")) : ""
    bundle_base64   = local.embedded ? filebase64("${local.bundle}.br") : ""
    # Terraform orders a map by key, and so does the construct.
    flags = join(" ", [for flag, value in var.supervisor_flags : "--${flag} ${value}" if value != null])
  })

  stopper = templatefile("${var.module_dir}/stop.sh.tftpl", {
    node_word       = local.shell_words.node_binary_path
    state_dir_word  = local.shell_words.state_dir
    log_dir_word    = local.shell_words.log_dir
    supervisor_word = local.shell_words.supervisor_path
    drain_timeout   = var.drain_timeout
    drain_wait      = var.drain_wait
  })

  # The dashboard items: their scripts only read the small files that the supervisor keeps in
  # <state_dir>/items (no curl, no jq, no node per poll), with shell builtins only, and print `?`
  # when none exists yet.
  read_item = "{ IFS= read -r v || [ -n \"$v\" ]; } 2>/dev/null <${local.shell_words.state_dir}/items/%s && printf '%%s' \"$v\" || printf '?'"

  read_supervisor_state = templatefile("${var.module_dir}/supervisor-state.sh.tftpl", {
    state_dir_word = local.shell_words.state_dir
  })

  metadata = [for index, item in jsondecode(file("${var.module_dir}/${var.metadata_items_file}")) : {
    display_name = item.display_name
    key          = item.key
    interval     = item.interval
    timeout      = item.timeout
    order        = var.order == null ? null : var.order + index
    script       = item.key == "4_supervisor_state" ? local.read_supervisor_state : format(local.read_item, item.key)
    output       = lookup(item, "output", "agent_metadata")
  }]
}
