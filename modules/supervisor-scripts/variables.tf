# The internal module that the runner module (the repository root) and the orchestrator module
# (orchestrator/) share: the shell words of their inputs, the launcher and stop scripts rendered
# from module/'s templates, and the dashboard items read from files. Not for templates to call.

variable "module_dir" {
  type        = string
  description = "The path of the repository's module/ folder (templates, bundles, metadata items)."
}

variable "bundle" {
  type        = string
  description = "The bundle in module/ that this module's workspace runs: supervisor.cjs (the runner's) or orchestrator.cjs."
}

variable "metadata_items_file" {
  type        = string
  description = "The dashboard items' file in module/ (keys, names, intervals)."
}

variable "shell_values" {
  type        = map(string)
  description = "The inputs that reach the scripts as shell words, by variable name (null: the default below, or not passed)."
}

variable "shell_defaults" {
  type        = map(string)
  description = "Shell words for the inputs whose default the workspace's shell expands ($HOME)."
}

variable "optional_flags" {
  type        = map(string)
  description = "Supervisor flags passed only when their input (a key of shell_values) is set: flag => input."
}

variable "extra_args" {
  type        = list(string)
  description = "The operator's extra runner arguments, each passed as one --extra-runner-arg."
  default     = []
}

variable "supervisor_flags" {
  type        = map(string)
  description = "Supervisor flags of plain values (numbers, validated choices): flag => value; null is not passed."
}

variable "role_words" {
  type        = map(string)
  description = "Shell variables that the launcher sets from inputs (the rendered script shows them): name => input."
}

variable "role_flags" {
  type        = string
  description = "The role's own flags of start, as shell words."
}

variable "role_flag_inputs" {
  type        = map(string)
  description = "More flags of start whose values are inputs' shell words: flag => input."
  default     = {}
}

variable "drain_timeout" {
  type        = number
  description = "The stop script's --drain-timeout-sec."
}

variable "drain_wait" {
  type        = number
  description = "The stop script's --drain-wait-sec."
}

variable "order" {
  type        = number
  description = "The first dashboard item's order (null: none)."
  default     = null
}
