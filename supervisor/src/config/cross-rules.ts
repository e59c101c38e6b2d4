import {
  inputLabel,
  inputs,
  modulesOf,
  type CrossInputRule,
  type InputName,
  type InputSpec,
  type ModuleName,
} from './inputs.js';

const specOf = (name: InputName): InputSpec => inputs[name];
const isEmpty = (value: unknown): boolean => value === undefined || value === null || value === '';

/** A value that exists but is only known later (a Terraform token in the construct). */
export const unknownValue = Symbol('unknown value');

/** The inputs a rule reads. */
export function ruleInputs(rule: CrossInputRule): InputName[] {
  return rule.kind === 'at-most' ? [rule.input, rule.bound] : [rule.when.input, rule.then.input];
}

/**
 * Whether a rule holds, given how to read each input's value; undefined when it cannot be told
 * (a value only known later, such as a Terraform token in the construct). A `when` rule whose
 * condition input is not read at all (another role's input) does not apply.
 */
export function crossRuleHolds(rule: CrossInputRule, get: (name: InputName) => unknown): boolean | undefined {
  if (rule.kind === 'at-most') {
    const value = get(rule.input);
    const bound = get(rule.bound);
    if (typeof value !== 'number' || typeof bound !== 'number') return undefined;
    const left = value + (rule.margin ?? 0);
    return rule.strict ? left < bound : left <= bound;
  }
  const condition = get(rule.when.input);
  if (condition === undefined || condition === unknownValue) return undefined;
  if (condition !== rule.when.equals) return true;
  const value = get(rule.then.input);
  if (value === unknownValue) return undefined;
  return isEmpty(value) !== rule.then.present;
}

/** The supervisor's problem line when the rule fails, by flag or variable, with what was expected. */
export function crossRuleProblem(rule: CrossInputRule, values: Record<string, unknown>): string | undefined {
  if (crossRuleHolds(rule, (name) => values[name]) !== false) return undefined;
  if (rule.kind === 'at-most') {
    const bound = values[rule.bound] as number;
    const margin = rule.margin ? ` minus ${rule.margin}` : '';
    const relation = rule.strict ? 'less than' : 'at most';
    return `${inputLabel(specOf(rule.input))}: expected ${relation} ${inputLabel(specOf(rule.bound))}${margin} (${bound - (rule.margin ?? 0)}), got ${String(values[rule.input])}`;
  }
  const then = specOf(rule.then.input);
  const condition = `when ${inputLabel(specOf(rule.when.input))} is ${rule.when.equals}`;
  // The value is never quoted: it may be a secret.
  if (rule.then.present) {
    const hint = 'hint' in then && then.hint ? `: ${then.hint}` : '';
    return `${inputLabel(then)}: is required ${condition}${hint}`;
  }
  return `${inputLabel(then)}: must be empty ${condition} (${rule.message})`;
}

/** Whether a module can check the rule: every input it reads is a variable of that module. */
export function ruleInModule(rule: CrossInputRule, module: ModuleName): boolean {
  return ruleInputs(rule).every((name) => {
    const spec = specOf(name);
    return spec.variable !== undefined && modulesOf(spec).includes(module);
  });
}

const variableOf = (name: InputName): string => `var.${specOf(name).variable ?? '?'}`;

/** The module's precondition: the same rule on the Terraform variables. */
export function crossRuleTerraform(rule: CrossInputRule): string {
  if (rule.kind === 'at-most') {
    const left = `${variableOf(rule.input)}${rule.margin ? ` + ${rule.margin}` : ''}`;
    return `${left} ${rule.strict ? '<' : '<='} ${variableOf(rule.bound)}`;
  }
  const v = variableOf(rule.then.input);
  // HCL evaluates both sides of || and &&: each side must be safe with a null.
  const holds = rule.then.present ? `(${v} != null && ${v} != "")` : `${v} == null || ${v} == ""`;
  return `${variableOf(rule.when.input)} != ${JSON.stringify(rule.when.equals)} || ${holds}`;
}
