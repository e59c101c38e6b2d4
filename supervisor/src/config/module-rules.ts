import { inputs, modulesOf, type InputSpec, type ModuleName } from './inputs.js';
import { kindOf } from './kinds/index.js';

/**
 * The message the module (variables.tf) and the construct give for an input that fails its
 * validation: one wording, from its kind (config/kinds/), for both.
 */
export function variableMessage(spec: InputSpec): string {
  return spec.message ?? kindOf(spec).message(spec, spec.variable ?? '?');
}

/**
 * Whether the module validates a variable: the registry module's inputs keep its validation
 * exactly (capacity's range, nothing else).
 */
export function moduleValidates(spec: InputSpec): boolean {
  return !spec.registry || (spec.kind === 'number' && spec.registryRule === true);
}

/**
 * The inputs that the launcher passes to the supervisor as plain `--flag value` words (numbers
 * and validated choices; paths go through quoted shell words instead), ordered by flag as
 * Terraform orders the keys of main.tf's `supervisor_flags` map.
 */
export function launcherFlagInputs(module: ModuleName = 'runner'): { flag: string; variable: string }[] {
  return (Object.values(inputs) as InputSpec[])
    .filter(
      (spec) =>
        spec.flag &&
        spec.variable &&
        modulesOf(spec).includes(module) &&
        (spec.kind === 'number' || spec.kind === 'choice'),
    )
    .map((spec) => ({ flag: spec.flag as string, variable: spec.variable as string }))
    .sort((a, b) => (a.flag < b.flag ? -1 : a.flag > b.flag ? 1 : 0));
}

/** Inputs that the launcher names on their own (its template has a word for each). */
const namedLauncherFlags = ['runner-binary', 'claude-binary', 'state-dir', 'base-dir'];

/**
 * The inputs that the launcher passes as `--flag '<quoted value>'` only when set (paths, labels,
 * URLs), ordered by flag as the map in main.tf's `optional_args` is.
 */
export function launcherWordInputs(module: ModuleName = 'runner'): { flag: string; variable: string }[] {
  return (Object.values(inputs) as InputSpec[])
    .filter(
      (spec) =>
        spec.flag &&
        spec.variable &&
        modulesOf(spec).includes(module) &&
        !namedLauncherFlags.includes(spec.flag) &&
        (spec.kind === 'path' || spec.kind === 'label' || spec.kind === 'https-url' || spec.kind === 'slug'),
    )
    .map((spec) => ({ flag: spec.flag as string, variable: spec.variable as string }))
    .sort((a, b) => (a.flag < b.flag ? -1 : a.flag > b.flag ? 1 : 0));
}
