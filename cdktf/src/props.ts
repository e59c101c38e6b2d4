import { crossRuleHolds } from '../../supervisor/src/config/cross-rules.js';
import { crossInputRules, inputs, propName, type InputSpec } from '../../supervisor/src/config/inputs.js';
import { kindOf } from '../../supervisor/src/config/kinds/index.js';
import { moduleValidates, variableMessage } from '../../supervisor/src/config/module-rules.js';
import { Token } from './cdk-lib';

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;
type Inputs = typeof inputs;
type WithVariable = { [K in keyof Inputs]: Inputs[K] extends { variable: string } ? K : never }[keyof Inputs];
type PropOf<K extends WithVariable> = Inputs[K] extends { variable: infer V extends string } ? CamelCase<V> : never;
type ValueOf<K extends WithVariable> = Inputs[K] extends { kind: 'number' }
  ? number
  : Inputs[K] extends { kind: 'list' }
    ? readonly string[]
    : string;
type RequiredKeys = { [K in WithVariable]: Inputs[K] extends { required: true } ? K : never }[WithVariable];

/**
 * The module's inputs, camelCased (pool_secret is poolSecret): the same defaults and the same
 * validation as variables.tf, both from the one inputs table (supervisor/src/config/inputs.ts),
 * where each input's help text is.
 */
export type ClaudeSelfHostedRunnerProps = { readonly [K in RequiredKeys as PropOf<K>]: ValueOf<K> } & {
  readonly [K in Exclude<WithVariable, RequiredKeys> as PropOf<K>]?: ValueOf<K>;
};

/** The props with every default filled in; a prop without a default (order, paths) may stay undefined. */
export type ResolvedProps = { readonly [K in WithVariable as PropOf<K>]: ValueOf<K> };

/** Raised at synth time for props that the module's validation would reject. */
export class ClaudeSelfHostedRunnerPropsError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid ClaudeSelfHostedRunner props:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ClaudeSelfHostedRunnerPropsError';
    this.problems = problems;
  }
}

/** The module's validation of one value (undefined when it passes). */
function problemOf(spec: InputSpec, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (Token.isUnresolved(value)) {
    return spec.kind === 'number'
      ? `${spec.variable} must be a plain number, known at synth time, so it can be validated`
      : undefined;
  }
  if (!moduleValidates(spec)) return undefined;
  // Words of a list that are tokens are only known at apply time: the rest are checked.
  const known = Array.isArray(value) ? value.filter((word) => !Token.isUnresolved(word)) : value;
  return kindOf(spec).accepts(spec, known) ? undefined : variableMessage(spec);
}

/** The table's rules between inputs, on the props (known values only). */
function crossProblems(resolved: Record<string, unknown>): string[] {
  return crossInputRules.flatMap((rule) => {
    const value = resolved[propName((inputs[rule.input] as InputSpec).variable ?? '')];
    const bound = resolved[propName((inputs[rule.bound] as InputSpec).variable ?? '')];
    if (typeof value !== 'number' || typeof bound !== 'number') return [];
    if (Token.isUnresolved(value) || Token.isUnresolved(bound)) return [];
    return crossRuleHolds(rule, value, bound) ? [] : [rule.message];
  });
}

/** Fills the defaults and checks every prop at once, with the module's own messages. */
export function resolveProps(props: ClaudeSelfHostedRunnerProps): ResolvedProps {
  const given = props as Record<string, unknown>;
  const resolved: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const spec of Object.values(inputs) as InputSpec[]) {
    if (!spec.variable) continue;
    const name = propName(spec.variable);
    const value = given[name] ?? ('default' in spec ? spec.default : spec.kind === 'list' ? [] : undefined);
    resolved[name] = value;
    const problem = problemOf(spec, value);
    if (problem) problems.push(problem);
  }
  if (problems.length === 0) problems.push(...crossProblems(resolved));
  if (problems.length > 0) throw new ClaudeSelfHostedRunnerPropsError(problems);
  return resolved as ResolvedProps;
}
