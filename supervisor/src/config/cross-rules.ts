import { inputLabel, inputs, type CrossInputRule, type InputName, type InputSpec } from './inputs.js';

const specOf = (name: InputName): InputSpec => inputs[name];

/** Whether the rule holds for two known numbers. */
export function crossRuleHolds(rule: CrossInputRule, value: number, bound: number): boolean {
  const left = value + (rule.margin ?? 0);
  return rule.strict ? left < bound : left <= bound;
}

/** The supervisor's problem line when the rule fails, by flag, with what was expected. */
export function crossRuleProblem(rule: CrossInputRule, values: Record<string, unknown>): string | undefined {
  const value = values[rule.input];
  const bound = values[rule.bound];
  if (typeof value !== 'number' || typeof bound !== 'number' || crossRuleHolds(rule, value, bound)) return undefined;
  const margin = rule.margin ? ` minus ${rule.margin}` : '';
  const relation = rule.strict ? 'less than' : 'at most';
  return `${inputLabel(specOf(rule.input))}: expected ${relation} ${inputLabel(specOf(rule.bound))}${margin} (${bound - (rule.margin ?? 0)}), got ${value}`;
}

/** The module's precondition: the same rule on the two Terraform variables. */
export function crossRuleTerraform(rule: CrossInputRule): string {
  const left = `var.${specOf(rule.input).variable ?? '?'}${rule.margin ? ` + ${rule.margin}` : ''}`;
  return `${left} ${rule.strict ? '<' : '<='} var.${specOf(rule.bound).variable ?? '?'}`;
}
