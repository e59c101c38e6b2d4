import { createHash } from 'node:crypto';
import path from 'node:path';
import { execa } from 'execa';
import { repoRoot } from './repo-root.js';

/** Plans of a Coder template with the real providers (built from source), as Coder's provisioner runs them. */
const tf = path.join(repoRoot, 'scripts', 'tf.sh');

export interface PlannedResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  values: Record<string, unknown>;
  sensitive_values?: Record<string, unknown>;
}
interface ModuleJson {
  resources?: PlannedResource[];
  child_modules?: ModuleJson[];
}
interface PlanJson {
  planned_values: { root_module: ModuleJson };
  prior_state?: { values?: { root_module: ModuleJson } };
}

const flatten = (module: ModuleJson | undefined): PlannedResource[] =>
  module ? [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(flatten)] : [];

/** The environment variable through which Coder's provisioner gives a build parameter's value. */
export const parameterEnv = (name: string): string =>
  `CODER_PARAMETER_${createHash('sha256').update(name).digest('hex')}`;

export interface TemplatePlan {
  /** Managed resources by address (module resources included). */
  resources: Map<string, PlannedResource>;
  /** Data sources read at plan time, by address. */
  data: Map<string, PlannedResource>;
  /** The plan's human text (for what must never appear in it). */
  text: string;
}

export async function initTemplate(dir: string, env: Record<string, string>): Promise<void> {
  await execa(tf, ['init', '-input=false', '-no-color'], { cwd: dir, env });
}

export async function validateTemplate(dir: string, env: Record<string, string>): Promise<string> {
  return (await execa(tf, ['validate', '-no-color'], { cwd: dir, env })).stdout;
}

/** Plans into `out` (a path under the TF_DATA_DIR of `env`) and reads the plan back as JSON. */
export async function planTemplate(
  dir: string,
  env: Record<string, string>,
  vars: Record<string, string>,
  out: string,
): Promise<TemplatePlan> {
  const varArgs = Object.entries(vars).flatMap(([name, value]) => ['-var', `${name}=${value}`]);
  const planned = await execa(tf, ['plan', '-input=false', '-no-color', `-out=${out}`, ...varArgs], { cwd: dir, env });
  const shown = JSON.parse((await execa(tf, ['show', '-json', out], { cwd: dir, env })).stdout) as PlanJson;
  const byAddress = (list: PlannedResource[]) => new Map(list.map((r) => [r.address, r]));
  return {
    resources: byAddress(flatten(shown.planned_values.root_module)),
    data: byAddress(flatten(shown.prior_state?.values?.root_module).filter((r) => r.mode === 'data')),
    text: planned.stdout,
  };
}

/** Evaluates one expression with `terraform console -plan`, decoded from JSON. */
export async function consoleValue(
  dir: string,
  env: Record<string, string>,
  vars: Record<string, string>,
  expression: string,
): Promise<unknown> {
  const varArgs = Object.entries(vars).flatMap(([name, value]) => ['-var', `${name}=${value}`]);
  const shown = await execa(tf, ['console', '-plan', ...varArgs], {
    cwd: dir,
    env,
    input: `jsonencode(${expression})\n`,
  });
  return JSON.parse(JSON.parse(shown.stdout.trim()) as string);
}
