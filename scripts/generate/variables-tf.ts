// Renders variables.tf from the inputs table (supervisor/src/config/inputs.ts), so the module's
// defaults, ranges and messages can never drift from the supervisor's and the construct's.
// Written and checked by scripts/generate/index.ts (`npm run generate`, `npm run check:generated`).
import { inputs, modulesOf, type InputSpec, type ModuleName } from '../../supervisor/src/config/inputs.js';
import { hclString as hcl, kindOf } from '../../supervisor/src/config/kinds/index.js';
import { moduleValidates, variableMessage } from '../../supervisor/src/config/module-rules.js';

/** The variable's Terraform type. */
export function hclType(spec: InputSpec): string {
  if (spec.kind === 'list') return 'list(string)';
  return spec.kind === 'number' ? 'number' : 'string';
}

/** The variable's default as HCL, or undefined when it is required. */
export function hclDefault(spec: InputSpec): string | undefined {
  if ('required' in spec && spec.required) return undefined;
  if (spec.kind === 'list') return '[]';
  const value = 'default' in spec ? spec.default : undefined;
  return value === undefined ? 'null' : hcl(value);
}

function conditionOf(name: string, spec: InputSpec): string | undefined {
  return moduleValidates(spec) ? kindOf(spec).terraformCondition(spec, `var.${name}`) : undefined;
}

function describe(spec: InputSpec): string {
  if (spec.kind === 'path' && spec.defaultText && spec.default === undefined) {
    return `${spec.help} null means ${spec.defaultText}.`;
  }
  return spec.help;
}

function block(name: string, spec: InputSpec): string {
  const lines = [
    `variable ${hcl(name)} {`,
    `  type        = ${hclType(spec)}`,
    `  description = ${hcl(describe(spec))}`,
  ];
  if (spec.sensitive) lines.push('  sensitive   = true');
  const def = hclDefault(spec);
  if (def !== undefined) lines.push(`  default     = ${def}`);
  const condition = conditionOf(name, spec);
  if (condition !== undefined) {
    lines.push(
      '  validation {',
      `    condition     = ${condition}`,
      `    error_message = ${hcl(variableMessage(spec))}`,
      '  }',
    );
  }
  lines.push('}');
  return lines.join('\n');
}

/** The module's variables in variables.tf's order: the registry module's first, then this module's own. */
export function moduleVariables(
  specs: readonly InputSpec[],
  module: ModuleName = 'runner',
): (InputSpec & { variable: string })[] {
  const withVariable = specs.filter(
    (s): s is InputSpec & { variable: string } => s.variable !== undefined && modulesOf(s).includes(module),
  );
  return [...withVariable.filter((s) => s.registry), ...withVariable.filter((s) => !s.registry)];
}

export function renderVariablesTf(module: ModuleName = 'runner'): string {
  const all = moduleVariables(Object.values(inputs) as InputSpec[], module);
  const registry = all.filter((s) => s.registry);
  const own = all.filter((s) => !s.registry);
  const header =
    '# Generated from supervisor/src/config/inputs.ts by `npm run generate`: edit the table, not this file.';
  if (module === 'orchestrator') {
    return [
      header,
      '',
      own
        .concat(registry)
        .map((s) => block(s.variable, s))
        .join('\n\n'),
      '',
    ].join('\n');
  }
  return [
    header,
    '',
    '# --- Inputs of the registry module coder-labs/claude-self-hosted-runner (same names, types,',
    '# --- defaults, sensitivity and validation): this module is a drop-in replacement.',
    '',
    registry.map((s) => block(s.variable, s)).join('\n\n'),
    '',
    '# --- Inputs of this module only: optional, with safe defaults.',
    '',
    own.map((s) => block(s.variable, s)).join('\n\n'),
    '',
  ].join('\n');
}
