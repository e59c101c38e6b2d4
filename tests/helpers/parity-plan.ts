import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { repoRoot } from './repo-root.js';

/**
 * The parity tests' plans: an HCL root that uses a module and a stack synthesized from its
 * construct, each planned with the real coder provider, read back resource by resource under one
 * key (`<type>.<name in the module>`), so that every planned value can be compared.
 */
const tf = path.join(repoRoot, 'scripts', 'tf.sh');

/** The coder provider version that scripts/versions.env pins (the bindings' and the plans'). */
export const coderProviderVersion = /^CODER_PROVIDER_VERSION=(.+)$/m.exec(
  fs.readFileSync(path.join(repoRoot, 'scripts', 'versions.env'), 'utf8'),
)?.[1];

export interface Planned {
  address: string;
  type: string;
  name: string;
  values: Record<string, unknown>;
  sensitive_values: Record<string, unknown>;
}

/**
 * Plans the configuration in `dir` with `vars` and keys its resources by type and name: a
 * module's `module.<m>.coder_env.pool_secret` and the construct's
 * `coder_env.<constructId>_pool_secret_1A2B3C4D` both become `coder_env.pool_secret`.
 */
export async function planResources(
  dir: string,
  vars: Record<string, string>,
  constructId: string,
): Promise<Map<string, Planned>> {
  const env = { TF_DATA_DIR: path.join(dir, '.terraform') };
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${v}`]);
  await execa(tf, ['init', '-input=false', '-no-color'], { cwd: dir, env });
  await execa(tf, ['plan', '-input=false', '-no-color', '-out=plan.out', ...varArgs], { cwd: dir, env });
  const shown = JSON.parse((await execa(tf, ['show', '-json', 'plan.out'], { cwd: dir, env })).stdout) as {
    planned_values: { root_module: { resources?: Planned[]; child_modules?: { resources: Planned[] }[] } };
  };
  const root = shown.planned_values.root_module;
  const all = [...(root.resources ?? []), ...(root.child_modules ?? []).flatMap((m) => m.resources)];
  // cdktf drops a path component that repeats its parent's: the orchestrator construct's
  // `orchestrator` script is `orchestrator_83DF447F`.
  const constructName = new RegExp(`^${constructId}(?:_(.+))?_[0-9A-F]{8}$`);
  const byKey = new Map<string, Planned>();
  for (const resource of all) {
    const match = constructName.exec(resource.name);
    const name = match ? (match[1] ?? constructId) : resource.name;
    byKey.set(`${resource.type}.${name}`, resource);
  }
  return byKey;
}
