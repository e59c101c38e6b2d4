import { inputs, numberRangeText, type InputSpec } from './inputs.js';

/**
 * The message the module (variables.tf) and the construct give for an input that fails its
 * validation: one wording, generated here for both.
 */
export function variableMessage(spec: InputSpec): string {
  const name = spec.variable ?? '?';
  if (spec.message) return spec.message;
  switch (spec.kind) {
    case 'number':
      return `${name} must be ${numberRangeText(spec)}${spec.why ? ` (${spec.why})` : ''}.`;
    case 'path':
      return `${name} must be an absolute path${spec.default === undefined ? `, or null for ${spec.defaultText ?? 'the default'}` : ''}.`;
    case 'choice':
      return `${name} must be one of ${spec.choices.join(', ')}.`;
    case 'command':
      return `${name} must be a command name on PATH (such as "node") or an absolute path, on one line.`;
    case 'username':
      return `${name} must be a Unix user name (lower case, up to 32 characters) or "none".`;
    case 'label':
      return `${name} must be one line of at most 200 printable ASCII characters, or null for the default.`;
    case 'https-url':
      return `${name} must be an https:// URL without a user name or password, or null.`;
    case 'list':
      return `${name} must not set a flag that the supervisor or another input owns: ${spec.forbidden.join(', ')}.`;
    default:
      return `${name} is not valid.`;
  }
}

/**
 * The inputs that the launcher passes to the supervisor as plain `--flag value` words (numbers
 * and validated choices; paths go through quoted shell words instead), ordered by flag as
 * Terraform orders the keys of main.tf's `supervisor_flags` map.
 */
export function launcherFlagInputs(): { flag: string; variable: string }[] {
  return (Object.values(inputs) as InputSpec[])
    .filter((spec) => spec.flag && spec.variable && (spec.kind === 'number' || spec.kind === 'choice'))
    .map((spec) => ({ flag: spec.flag as string, variable: spec.variable as string }))
    .sort((a, b) => (a.flag < b.flag ? -1 : a.flag > b.flag ? 1 : 0));
}

/** Inputs that the launcher names on their own (its template has a word for each). */
const namedLauncherFlags = ['runner-binary', 'claude-binary', 'state-dir', 'base-dir'];

/**
 * The inputs that the launcher passes as `--flag '<quoted value>'` only when set (paths, labels,
 * URLs), ordered by flag as the map in main.tf's `optional_args` is.
 */
export function launcherWordInputs(): { flag: string; variable: string }[] {
  return (Object.values(inputs) as InputSpec[])
    .filter(
      (spec) =>
        spec.flag &&
        spec.variable &&
        !namedLauncherFlags.includes(spec.flag) &&
        (spec.kind === 'path' || spec.kind === 'label' || spec.kind === 'https-url'),
    )
    .map((spec) => ({ flag: spec.flag as string, variable: spec.variable as string }))
    .sort((a, b) => (a.flag < b.flag ? -1 : a.flag > b.flag ? 1 : 0));
}
