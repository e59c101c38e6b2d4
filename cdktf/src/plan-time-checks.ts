import {
  crossRuleHolds,
  crossRuleTerraform,
  ruleInModule,
  ruleInputs,
  unknownValue,
} from '../../supervisor/src/config/cross-rules.js';
import {
  crossInputRules,
  inputs,
  modulesOf,
  propName,
  type InputSpec,
  type ModuleName,
} from '../../supervisor/src/config/inputs.js';
import { hclString, kindOf } from '../../supervisor/src/config/kinds/index.js';
import { moduleValidates, variableMessage } from '../../supervisor/src/config/module-rules.js';
import { Token } from './cdk-lib';

/** One of the module's checks, as a Terraform condition with the module's message. */
export interface PlanTimeCheck {
  condition: string;
  errorMessage: string;
}

const variableOf = (name: keyof typeof inputs): string => (inputs[name] as InputSpec).variable ?? '?';

/**
 * The module's checks of the props that are Terraform tokens, whose values only a plan knows
 * (`data.coder_workspace.me.is_prebuild ? 0 : 10`, a variable): each input's own validation
 * (its kind's condition, as variables.tf has it) and the table's rules between inputs that such a
 * value leaves open (as main.tf's preconditions), with the module's messages. `expressionOf`
 * names the HCL expression that holds a token prop's value.
 */
export function planTimeChecks(
  resolved: Readonly<Record<string, unknown>>,
  module: ModuleName,
  expressionOf: (variable: string) => string,
): PlanTimeCheck[] {
  const valueOf = (variable: string): unknown => resolved[propName(variable)];
  const isToken = (variable: string): boolean => Token.isUnresolved(valueOf(variable));
  const own = (Object.values(inputs) as InputSpec[]).flatMap((spec) => {
    const variable = spec.variable;
    if (!variable || !modulesOf(spec).includes(module) || spec.kind === 'list') return [];
    if (!isToken(variable) || !moduleValidates(spec)) return [];
    const condition = kindOf(spec).terraformCondition(spec, expressionOf(variable));
    return condition ? [{ condition, errorMessage: variableMessage(spec) }] : [];
  });
  const between = crossInputRules.flatMap((rule) => {
    if (!ruleInModule(rule, module)) return [];
    const variables = ruleInputs(rule).map(variableOf);
    if (!variables.some(isToken)) return [];
    const holds = crossRuleHolds(rule, (name) =>
      isToken(variableOf(name)) ? unknownValue : valueOf(variableOf(name)),
    );
    if (holds !== undefined) return [];
    // The module's precondition, each variable replaced by its value or by the token's expression.
    let condition = crossRuleTerraform(rule);
    for (const variable of variables) {
      const value = valueOf(variable);
      const expression = isToken(variable) ? expressionOf(variable) : value === undefined ? 'null' : hclString(value);
      condition = condition.replace(new RegExp(`\\bvar\\.${variable}\\b`, 'g'), () => expression);
    }
    return [{ condition, errorMessage: rule.message }];
  });
  return [...own, ...between];
}
