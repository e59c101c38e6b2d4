import { parseArgs } from 'node:util';
import { ConfigError, UsageError } from '../shared/errors.js';
import {
  inputLabel,
  inputs,
  roleNames,
  rolesOf,
  type InputName,
  type InputScope,
  type InputSpec,
  type RoleName,
} from './inputs.js';
import { kindOf, type Env } from './kinds/index.js';

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

type Scope = Exclude<InputScope, 'module'>;

function inScope(spec: InputSpec, scope: Scope, role: RoleName): boolean {
  return spec.scope === 'state' || (scope === 'run' && spec.scope === 'run' && rolesOf(spec).includes(role));
}

function rows(scope: Scope, role: RoleName): [InputName, InputSpec][] {
  return (Object.entries(inputs) as [InputName, InputSpec][]).filter(([, spec]) => inScope(spec, scope, role));
}

/**
 * The role that `--role` names (the runner when absent), read before anything else: which inputs
 * a command takes depends on it. An unknown role is reported by the role's own row.
 */
export function roleOf(argv: readonly string[]): RoleName {
  const at = argv.findIndex((arg) => arg === '--role' || arg.startsWith('--role='));
  const value = at === -1 ? undefined : argv[at]?.startsWith('--role=') ? argv[at]?.slice(7) : argv[at + 1];
  return (roleNames as readonly string[]).includes(value ?? '') ? (value as RoleName) : 'runner';
}

function parseFlags(argv: readonly string[], scope: Scope, role: RoleName) {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const [, spec] of rows(scope, role)) {
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

export interface ParsedInputs {
  values: Partial<InputValues>;
  detached: boolean;
  /** Every problem found, one line each, by name. */
  problems: string[];
  /** The inputs that have a problem (absent from `values`). */
  failed: InputName[];
}

/**
 * Reads every input of a command from its flag or environment variable and validates each
 * against its row, collecting every problem, by name (the flag or variable), with what was
 * expected. A secret is never quoted back. The caller adds the rules between inputs and throws.
 */
export function readInputs(argv: readonly string[], env: Env, scope: 'state' | 'run'): ParsedInputs {
  const role = roleOf(argv);
  const flags = parseFlags(argv, scope, role);
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  const failed: InputName[] = [];
  for (const [name, spec] of rows(scope, role)) {
    const label = inputLabel(spec);
    const fromFlag = spec.flag ? flags[spec.flag] : undefined;
    const raw =
      typeof fromFlag === 'string' || Array.isArray(fromFlag) ? fromFlag : spec.env ? env[spec.env] : undefined;
    const result = kindOf(spec).validator(spec, env).safeParse(raw);
    if (result.success) values[name] = result.data;
    else {
      failed.push(name);
      problems.push(...result.error.issues.map((issue) => `${label}: ${issue.message}`));
    }
  }
  return { values: values as Partial<InputValues>, detached: flags.detached === true, problems, failed };
}

/** The same, throwing every problem at once. */
export function parseInputs(argv: readonly string[], env: Env, scope: 'state' | 'run'): ParsedInputs {
  const parsed = readInputs(argv, env, scope);
  if (parsed.problems.length > 0) throw new ConfigError(parsed.problems);
  return parsed;
}
