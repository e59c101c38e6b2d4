import type { TextInput } from '../inputs.js';
import { isBlank, optionalString, type InputKind } from './kind.js';

/** A command name on PATH or a path, on one line (only the module has one: node_binary_path). */
export const commandKind: InputKind<TextInput> = {
  validator: (spec) => optionalString((raw) => (isBlank(raw) ? spec.default : raw)),
  terraformCondition: (_spec, v) => `length(trimspace(${v})) > 0 && !strcontains(${v}, "\\n")`,
  message: (_spec, name) => `${name} must be a command name on PATH (such as "node") or an absolute path, on one line.`,
  accepts: (_spec, value) => (value as string).trim() !== '' && !(value as string).includes('\n'),
  helpNote: (spec) => `default ${spec.default ?? 'none'}`,
};
