import { inputs, type InputName, type InputSpec } from '../../supervisor/src/config/inputs.js';

/** The supervisor's flag of an input, from the table (`--health-port`). */
export function flagOf(name: InputName): string {
  const flag = (inputs[name] as InputSpec).flag;
  if (!flag) throw new Error(`input ${name} has no flag`);
  return `--${flag}`;
}

/** `--flag value` words for the given inputs, in the given order, with flags from the table. */
export function flagWords(values: Partial<Record<InputName, string | number>>): string[] {
  return Object.entries(values).flatMap(([name, value]) =>
    value === undefined ? [] : [flagOf(name as InputName), String(value)],
  );
}
