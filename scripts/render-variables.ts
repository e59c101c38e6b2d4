// Renders variables.tf from the inputs table (supervisor/src/config/inputs.ts), so the module's
// defaults, ranges and messages can never drift from the supervisor's and the construct's.
// `npm run generate:variables` writes it; `--check` fails when the committed file differs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inputs, type InputSpec } from '../supervisor/src/config/inputs.js';
import { variableMessage } from '../supervisor/src/config/module-rules.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const variablesFile = path.join(root, 'variables.tf');

/** An HCL string literal: JSON, with template sequences escaped so they stay literal text. */
const hcl = (value: unknown): string =>
  JSON.stringify(value)
    .replaceAll('${', () => '$${')
    .replaceAll('%{', () => '%%{');

function typeOf(spec: InputSpec): string {
  if (spec.kind === 'list') return 'list(string)';
  return spec.kind === 'number' ? 'number' : 'string';
}

function defaultOf(spec: InputSpec): string | undefined {
  if ('required' in spec && spec.required) return undefined;
  if (spec.kind === 'list') return '[]';
  const value = 'default' in spec ? spec.default : undefined;
  return value === undefined ? 'null' : hcl(value);
}

function conditionOf(name: string, spec: InputSpec): string | undefined {
  const v = `var.${name}`;
  // The registry module's inputs keep its validation exactly: capacity's range, nothing else.
  if (spec.registry && !(spec.kind === 'number' && spec.registryRule)) return undefined;
  switch (spec.kind) {
    case 'number': {
      // The registry module's capacity rule, kept exactly for drop-in compatibility.
      if (spec.registryRule) return `${v} >= ${spec.min} && ${v} <= ${spec.max}`;
      // HCL evaluates both sides of ||: a null that passes its first test must not reach floor().
      const n = spec.default === undefined ? `coalesce(${v}, ${spec.min})` : v;
      const rule = `${n} >= ${spec.min} && ${n} <= ${spec.max}${spec.decimal ? '' : ` && floor(${n}) == ${n}`}`;
      return spec.default === undefined ? `${v} == null || (${rule})` : rule;
    }
    case 'path':
      if (spec.default !== undefined) return `startswith(${v}, "/")`;
      return `${v} == null || startswith(coalesce(${v}, "/"), "/")`;
    case 'choice':
      return `contains([${spec.choices.map(hcl).join(', ')}], ${v})`;
    case 'command':
      return `length(trimspace(${v})) > 0 && !strcontains(${v}, "\\n")`;
    case 'username':
      return `can(regex("^([a-z_][a-z0-9_-]{0,31}|none)$", ${v}))`;
    case 'label':
      return `${v} == null || can(regex("^[ -~]{1,200}$", coalesce(${v}, "-")))`;
    case 'https-url':
      return `${v} == null || can(regex("^https://[^/@]+(/.*)?$", coalesce(${v}, "https://x")))`;
    case 'list':
      return `alltrue([for arg in ${v} : !contains([${spec.forbidden.map(hcl).join(', ')}], split("=", arg)[0])])`;
    default:
      return undefined;
  }
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
    `  type        = ${typeOf(spec)}`,
    `  description = ${hcl(describe(spec))}`,
  ];
  if (spec.sensitive) lines.push('  sensitive   = true');
  const def = defaultOf(spec);
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

export function renderVariablesTf(): string {
  const specs = Object.values(inputs) as InputSpec[];
  const withVariable = specs.filter((s): s is InputSpec & { variable: string } => s.variable !== undefined);
  const registry = withVariable.filter((s) => s.registry);
  const own = withVariable.filter((s) => !s.registry);
  return [
    '# Generated from supervisor/src/config/inputs.ts by `npm run generate:variables`: edit the table, not this file.',
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

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = renderVariablesTf();
  if (process.argv.includes('--check')) {
    if (fs.readFileSync(variablesFile, 'utf8') !== text) {
      console.error('variables.tf is stale: run `npm run generate:variables` and commit the result.');
      process.exit(1);
    }
    console.log('variables.tf matches the inputs table');
  } else {
    fs.writeFileSync(variablesFile, text);
    console.log('wrote variables.tf');
  }
}
