import { crossRuleHolds, ruleInModule, unknownValue } from '../../supervisor/src/config/cross-rules.js';
import { crossInputRules, inputs, modulesOf, propName, type InputSpec } from '../../supervisor/src/config/inputs.js';
import { kindOf } from '../../supervisor/src/config/kinds/index.js';
import { moduleValidates, variableMessage } from '../../supervisor/src/config/module-rules.js';
import { Token } from './cdk-lib';

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;
type Inputs = typeof inputs;
type ModuleName = 'runner' | 'orchestrator';
/** The inputs that module M has as variables: those whose `modules` name it (the runner's by default). */
type WithVariable<M extends ModuleName = 'runner'> = {
  [K in keyof Inputs]: Inputs[K] extends { variable: string }
    ? Inputs[K] extends { modules: readonly (infer X)[] }
      ? M extends X
        ? K
        : never
      : M extends 'runner'
        ? K
        : never
    : never;
}[keyof Inputs];
type PropOf<K extends keyof Inputs> = Inputs[K] extends { variable: infer V extends string } ? CamelCase<V> : never;
type ValueOf<K extends keyof Inputs> = Inputs[K] extends { kind: 'number' }
  ? number
  : Inputs[K] extends { kind: 'list' }
    ? readonly string[]
    : string;
type RequiredKeys<M extends ModuleName> = {
  [K in WithVariable<M>]: Inputs[K] extends { required: true } ? K : never;
}[WithVariable<M>];

/**
 * A module's inputs, camelCased (pool_secret is poolSecret): the same defaults and the same
 * validation as its variables.tf, both from the one inputs table (supervisor/src/config/inputs.ts),
 * where each input's help text is.
 */
export type ModuleProps<M extends ModuleName> = { readonly [K in RequiredKeys<M> as PropOf<K>]: ValueOf<K> } & {
  readonly [K in Exclude<WithVariable<M>, RequiredKeys<M>> as PropOf<K>]?: ValueOf<K>;
};
/** The props with every default filled in; a prop without a default (order, paths) may stay undefined. */
export type ResolvedModuleProps<M extends ModuleName> = { readonly [K in WithVariable<M> as PropOf<K>]: ValueOf<K> };

export type ClaudeSelfHostedRunnerProps = ModuleProps<'runner'>;
export type ResolvedProps = ResolvedModuleProps<'runner'>;
export type OrchestratorProps = ModuleProps<'orchestrator'>;
export type ResolvedOrchestratorProps = ResolvedModuleProps<'orchestrator'>;

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

/** The table's rules between inputs that the module checks, on the props (known values only). */
function crossProblems(resolved: Record<string, unknown>, module: ModuleName): string[] {
  return crossInputRules.flatMap((rule) => {
    if (!ruleInModule(rule, module)) return [];
    const holds = crossRuleHolds(rule, (name) => {
      const value = resolved[propName((inputs[name] as InputSpec).variable ?? '')];
      return Token.isUnresolved(value) ? unknownValue : value;
    });
    return holds === false ? [rule.message] : [];
  });
}

/** Fills the defaults and checks every prop of a module at once, with the module's own messages. */
export function resolveModuleProps<M extends ModuleName>(props: ModuleProps<M>, module: M): ResolvedModuleProps<M> {
  const given = props as Record<string, unknown>;
  const resolved: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const spec of Object.values(inputs) as InputSpec[]) {
    if (!spec.variable || !modulesOf(spec).includes(module)) continue;
    const name = propName(spec.variable);
    const value = given[name] ?? ('default' in spec ? spec.default : spec.kind === 'list' ? [] : undefined);
    resolved[name] = value;
    const problem = problemOf(spec, value);
    if (problem) problems.push(problem);
  }
  if (problems.length === 0) problems.push(...crossProblems(resolved, module));
  if (problems.length > 0) throw new ClaudeSelfHostedRunnerPropsError(problems);
  return resolved as ResolvedModuleProps<M>;
}

export const resolveProps = (props: ClaudeSelfHostedRunnerProps): ResolvedProps => resolveModuleProps(props, 'runner');
