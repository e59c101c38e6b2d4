import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { ConfigError, UsageError } from '../shared/errors.js';
import { inputLabel, inputs, type InputName, type InputScope, type InputSpec } from './inputs.js';
import { kindOf, type Env, type InputValidator } from './kinds/index.js';

/** The parsed value of each input: numbers in the unit of their flag, paths normalised. */
export type InputValues = {
  [K in InputName]: (typeof inputs)[K] extends { kind: 'number' }
    ? (typeof inputs)[K] extends { optional: true }
      ? number | undefined
      : number
    : (typeof inputs)[K] extends { kind: 'list' }
      ? string[]
      : string | undefined;
};

/** Internal flags: not inputs (the detached child of `start` is marked by one). */
const internalFlags = { detached: { type: 'boolean' } } as const;

function inScope(spec: InputSpec, scope: Exclude<InputScope, 'module'>): boolean {
  return spec.scope === 'state' || (scope === 'run' && spec.scope === 'run');
}

function rows(scope: Exclude<InputScope, 'module'>): [InputName, InputSpec][] {
  return (Object.entries(inputs) as [InputName, InputSpec][]).filter(([, spec]) => inScope(spec, scope));
}

function parseFlags(argv: readonly string[], scope: Exclude<InputScope, 'module'>) {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const [, spec] of rows(scope)) {
    if (spec.flag) options[spec.flag] = { type: 'string', multiple: spec.kind === 'list' };
  }
  if (scope === 'run') Object.assign(options, internalFlags);
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | string[] | boolean | undefined
    >;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. Run with --help for the flags.`);
  }
}

function formatIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string[] {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || 'configuration'}: ${issue.message}`);
}

export interface ParsedInputs {
  values: Partial<InputValues>;
  detached: boolean;
}

/**
 * Reads every input of a command from its flag or environment variable, validates each against
 * its row, and reports every problem at once, by name (the flag or variable), with what was
 * expected. A secret is never quoted back.
 */
export function parseInputs(argv: readonly string[], env: Env, scope: 'state' | 'run'): ParsedInputs {
  const flags = parseFlags(argv, scope);
  const shape: Record<string, InputValidator> = {};
  const raw: Record<string, string | string[] | undefined> = {};
  for (const [, spec] of rows(scope)) {
    const label = inputLabel(spec);
    shape[label] = kindOf(spec).validator(spec, env);
    const fromFlag = spec.flag ? flags[spec.flag] : undefined;
    raw[label] =
      typeof fromFlag === 'string' || Array.isArray(fromFlag) ? fromFlag : spec.env ? env[spec.env] : undefined;
  }
  const result = z.object(shape).safeParse(raw);
  if (!result.success) throw new ConfigError(formatIssues(result.error));
  const values: Record<string, unknown> = {};
  for (const [name, spec] of rows(scope)) values[name] = result.data[inputLabel(spec)];
  return { values: values as Partial<InputValues>, detached: flags.detached === true };
}
