import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, TerraformStack, TerraformVariable } from '../../cdktf/src/cdk-lib';
import { Agent } from '../../cdktf/src/gen/coder/agent';
import { CoderProvider } from '../../cdktf/src/gen/coder/provider';
import { ClaudeSelfHostedRunner, type ClaudeSelfHostedRunnerProps } from '../../cdktf/src/index';
import { repoRoot } from '../helpers/sandbox.js';
import { hcl, writeModuleRoot } from '../helpers/module-root.js';

/**
 * Parity: the same inputs, planned through the HCL module (in a small root config) and through
 * the construct's synthesized stack with the real provider, give equal planned values for every
 * resource, sensitivity included.
 */
const tf = path.join(repoRoot, 'scripts', 'tf.sh');
const version = /^CODER_PROVIDER_VERSION=(.+)$/m.exec(
  fs.readFileSync(path.join(repoRoot, 'scripts', 'versions.env'), 'utf8'),
)?.[1];
const vars = {
  pool_secret: 'pool-secret-value',
  self_evict_token: 'self-token-value',
  git_bot_token: 'git-token-value',
};

type Inputs = Record<string, string | number | string[]>;
const cases: [string, Inputs][] = [
  ['defaults', {}],
  [
    'custom capacity, paths with spaces and quotes, state and log dirs, order, policy',
    {
      capacity: 8,
      runner_binary_path: '/custom/runner dir/claude',
      claude_binary_path: "/opt/it's claude/claude",
      state_dir: '/var/lib/claude runner',
      log_dir: '/var/log/claude-runner',
      runner_base_dir: '/srv/sessions',
      node_binary_path: '/opt/node/bin/node',
      permission_mode: 'auto',
      health_port: 9123,
      quarantine_minutes: 0,
      max_lifetime_minutes: 60,
      drain_timeout_seconds: 240,
      order: 10,
    },
  ],
  [
    'runner options',
    {
      client_label: "alice/runner 'seven'",
      release_idle_session_minutes: 15,
      kill_session_after_minutes: 240,
      drain_wait_seconds: 20,
      hooks_dir: '/opt/claude hooks/${HOME}',
      agent_proxy_url: 'https://proxy.example.com/',
      runner_log_level: 'debug',
      extra_runner_args: ['--drain-grace-sec', '0'],
    },
  ],
  [
    'git token set and a pre-installed supervisor',
    { git_bot_token: 'from-var', supervisor_path: '/opt/claude-runner/supervisor.cjs' },
  ],
];

const camel = (name: string): string => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

function hclRoot(dir: string, inputs: Inputs): void {
  writeModuleRoot(dir, {
    providerVersion: version,
    sensitiveVariables: ['pool_secret', 'self_evict_token', 'git_bot_token'],
    withAgent: true,
    inputs: {
      workspace_id: hcl('6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9'),
      pool_secret: 'var.pool_secret',
      self_evict_token: 'var.self_evict_token',
      ...Object.fromEntries(
        Object.entries(inputs).map(([name, value]) => [
          name,
          name === 'git_bot_token' ? 'var.git_bot_token' : hcl(value),
        ]),
      ),
    },
  });
}

function cdktfStack(outdir: string, inputs: Inputs): string {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'parity');
  new CoderProvider(stack, 'coder');
  const variable = (name: string): string =>
    new TerraformVariable(stack, name, { type: 'string', sensitive: true }).stringValue;
  const agent = new Agent(stack, 'main', { arch: 'amd64', os: 'linux' });
  const props: Record<string, unknown> = {
    agentId: agent.id,
    workspaceId: '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
    poolSecret: variable('pool_secret'),
    selfEvictToken: variable('self_evict_token'),
  };
  const gitToken = variable('git_bot_token');
  for (const [name, value] of Object.entries(inputs)) props[camel(name)] = name === 'git_bot_token' ? gitToken : value;
  const runner = new ClaudeSelfHostedRunner(stack, 'runner', props as unknown as ClaudeSelfHostedRunnerProps);
  agent.putMetadata([...runner.agentMetadata, ...runner.supervisorMetadata]);
  app.synth();
  return path.join(outdir, 'stacks', 'parity');
}

interface Planned {
  address: string;
  type: string;
  name: string;
  values: Record<string, unknown>;
  sensitive_values: Record<string, unknown>;
}

async function planResources(dir: string): Promise<Map<string, Planned>> {
  const env = { TF_DATA_DIR: path.join(dir, '.terraform') };
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${v}`]);
  await execa(tf, ['init', '-input=false', '-no-color'], { cwd: dir, env });
  await execa(tf, ['plan', '-input=false', '-no-color', '-out=plan.out', ...varArgs], { cwd: dir, env });
  const shown = JSON.parse((await execa(tf, ['show', '-json', 'plan.out'], { cwd: dir, env })).stdout) as {
    planned_values: { root_module: { resources?: Planned[]; child_modules?: { resources: Planned[] }[] } };
  };
  const root = shown.planned_values.root_module;
  const all = [...(root.resources ?? []), ...(root.child_modules ?? []).flatMap((m) => m.resources)];
  const byKey = new Map<string, Planned>();
  for (const resource of all) {
    // HCL: module.runner.coder_env.pool_secret; CDKTF: coder_env.runner_pool_secret_1A2B3C4D.
    const name = /^runner_(.+)_[0-9A-F]{8}$/.exec(resource.name)?.[1] ?? resource.name;
    byKey.set(`${resource.type}.${name}`, resource);
  }
  return byKey;
}

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe('CDKTF construct and HCL module plan the same values', () => {
  it.each(cases)('%s', async (name, inputs) => {
    const dir = path.join(work, name.replace(/\W+/g, '-'));
    fs.mkdirSync(path.join(dir, 'hcl'), { recursive: true });
    hclRoot(path.join(dir, 'hcl'), inputs);
    const stackDir = cdktfStack(path.join(dir, 'cdktf'), inputs);
    const [hcl, cdk] = await Promise.all([planResources(path.join(dir, 'hcl')), planResources(stackDir)]);

    expect([...cdk.keys()].sort()).toEqual([...hcl.keys()].sort());
    expect(hcl.size).toBe(9); // six coder_env, two coder_script, the agent
    for (const [key, planned] of hcl) {
      const other = cdk.get(key);
      expect(other?.values, key).toEqual(planned.values);
      expect(other?.sensitive_values, `${key} sensitivity`).toEqual(planned.sensitive_values);
    }
    expect(hcl.get('coder_env.pool_secret')?.sensitive_values).toEqual({ value: true });
  });
});
