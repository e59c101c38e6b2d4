import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, LocalBackend, TerraformStack, TerraformVariable } from '../../cdktf/src/cdk-lib';
import { Agent } from '../../cdktf/src/gen/coder/agent';
import { CoderProvider } from '../../cdktf/src/gen/coder/provider';
import { ClaudeSelfHostedRunner, type ClaudeSelfHostedRunnerProps } from '../../cdktf/src/index';
import { hcl, writeModuleRoot } from '../helpers/module-root.js';
import { coderProviderVersion, planResources } from '../helpers/parity-plan.js';

/**
 * Parity: the same inputs, planned through the HCL module (in a small root config) and through
 * the construct's synthesized stack with the real provider, give equal planned values for every
 * resource, sensitivity included.
 */
const vars = {
  pool_secret: 'pool-secret-value',
  self_evict_token: 'self-token-value',
  git_bot_token: 'git-token-value',
  work_order: 'eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJvcmRlci0xIn0.c2ln',
};
/** An input that both sides take from the sensitive root variable of its name. */
const fromVariable = { variable: true } as const;

type Inputs = Record<string, string | number | string[] | typeof fromVariable>;
const base: Inputs = { pool_secret: fromVariable, self_evict_token: fromVariable };
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
    { git_bot_token: fromVariable, supervisor_path: '/opt/claude-runner/supervisor.cjs' },
  ],
  [
    'on-demand: the work order instead of the environment secret',
    { runner_mode: 'on-demand', pool_secret: '', work_order: fromVariable, order_wait_minutes: 0.5 },
  ],
];

const camel = (name: string): string => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

function hclRoot(dir: string, inputs: Inputs): void {
  writeModuleRoot(dir, {
    providerVersion: coderProviderVersion,
    sensitiveVariables: Object.keys(vars),
    withAgent: true,
    inputs: {
      workspace_id: hcl('6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9'),
      ...Object.fromEntries(
        Object.entries(inputs).map(([name, value]) => [name, value === fromVariable ? `var.${name}` : hcl(value)]),
      ),
    },
  });
}

function cdktfStack(outdir: string, inputs: Inputs): string {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'parity');
  // The default state path is in the working directory, shared by every test file's plans.
  new LocalBackend(stack, { path: path.join(outdir, 'terraform.tfstate') });
  new CoderProvider(stack, 'coder');
  const variables = Object.fromEntries(
    Object.keys(vars).map((name) => [
      name,
      new TerraformVariable(stack, name, { type: 'string', sensitive: true }).stringValue,
    ]),
  );
  const agent = new Agent(stack, 'main', { arch: 'amd64', os: 'linux' });
  const props: Record<string, unknown> = { agentId: agent.id, workspaceId: '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9' };
  for (const [name, value] of Object.entries(inputs))
    props[camel(name)] = value === fromVariable ? variables[name] : value;
  const runner = new ClaudeSelfHostedRunner(stack, 'runner', props as unknown as ClaudeSelfHostedRunnerProps);
  agent.putMetadata([...runner.agentMetadata, ...runner.supervisorMetadata]);
  app.synth();
  return path.join(outdir, 'stacks', 'parity');
}

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe('CDKTF construct and HCL module plan the same values', () => {
  it.each(cases)('%s', async (name, caseInputs) => {
    const inputs = { ...base, ...caseInputs };
    const dir = path.join(work, name.replace(/\W+/g, '-'));
    fs.mkdirSync(path.join(dir, 'hcl'), { recursive: true });
    hclRoot(path.join(dir, 'hcl'), inputs);
    const stackDir = cdktfStack(path.join(dir, 'cdktf'), inputs);
    const [hcl, cdk] = await Promise.all([
      planResources(path.join(dir, 'hcl'), vars, 'runner'),
      planResources(stackDir, vars, 'runner'),
    ]);

    expect([...cdk.keys()].sort()).toEqual([...hcl.keys()].sort());
    expect(hcl.size).toBe(9); // six coder_env, two coder_script, the agent
    for (const [key, planned] of hcl) {
      const other = cdk.get(key);
      expect(other?.values, key).toEqual(planned.values);
      expect(other?.sensitive_values, `${key} sensitivity`).toEqual(planned.sensitive_values);
    }
    expect(hcl.get('coder_env.pool_secret')?.sensitive_values).toEqual({ value: true });
    expect(hcl.get('coder_env.work_order')?.sensitive_values).toEqual({ value: true });
  });

  it('the on-demand case reaches the module as on-demand (so the comparison above is not of two pool plans)', async () => {
    const dir = path.join(work, 'on-demand-check');
    const inputs = { ...base, ...(cases.at(-1)?.[1] ?? {}) };
    const stackDir = cdktfStack(dir, inputs);
    const planned = await planResources(stackDir, vars, 'runner');
    expect(planned.get('coder_env.work_order')?.values.value).toBe(vars.work_order);
    expect(planned.get('coder_env.pool_secret')?.values.value).toBe('');
    expect(String(planned.get('coder_script.claude_runner')?.values.script)).toContain(
      '--mode on-demand --order-wait-min 0.5',
    );
  });
});
