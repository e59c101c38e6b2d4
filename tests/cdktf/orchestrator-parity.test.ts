import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, LocalBackend, TerraformStack, TerraformVariable } from '../../cdktf/src/cdk-lib';
import { Agent } from '../../cdktf/src/gen/coder/agent';
import { CoderProvider } from '../../cdktf/src/gen/coder/provider';
import { ClaudeRunnerOrchestrator, type OrchestratorProps } from '../../cdktf/src/index';
import { hcl, writeModuleRoot } from '../helpers/module-root.js';
import { coderProviderVersion, planResources } from '../helpers/parity-plan.js';

/**
 * Parity of the orchestrator: the same inputs, planned through the HCL sub-module (orchestrator/,
 * in a small root config) and through the ClaudeRunnerOrchestrator construct's synthesized stack
 * with the real provider, give equal planned values for every resource (both coder_env, both
 * coder_script with the rendered launcher and stop script, the agent with the dashboard items),
 * sensitivity included.
 */
const vars = { pool_secret: 'environment-secret-value', coder_token: 'coder-token-value' };
type Inputs = Record<string, string | number>;
const cases: [string, Inputs][] = [
  ['defaults', {}],
  [
    'preset, owner, organization, prefix and parameter; paths with spaces and quotes; order',
    {
      runner_preset: 'on-demand',
      runner_owner: "o'brien",
      runner_organization: 'platform team',
      workspace_name_prefix: 'cr',
      work_order_parameter: 'claude_work_order',
      runner_binary_path: "/opt/it's claude/claude",
      node_binary_path: '/opt/node dir/bin/node',
      state_dir: '/var/lib/claude orchestrator',
      log_dir: '/var/log/claude-orchestrator',
      order: 20,
    },
  ],
  [
    'a long hook timeout grows the stop budget; the lease, standby, concurrency and policy',
    {
      hook_timeout_seconds: 300,
      expected_spawn_seconds: 600,
      min_idle: 3,
      hook_concurrency: 8,
      health_port: 9125,
      health_interval_seconds: 30,
      quarantine_minutes: 0,
      crash_loop_threshold: 3,
      restart_initial_delay_seconds: 10,
      restart_max_delay_seconds: 120,
      short_run_seconds: 45,
      runner_log_level: 'debug',
      agent_proxy_url: 'https://proxy.example.com/',
    },
  ],
  ['a pre-installed supervisor', { supervisor_path: '/opt/claude runner/supervisor.cjs' }],
];

const camel = (name: string): string => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

function hclRoot(dir: string, inputs: Inputs): void {
  writeModuleRoot(dir, {
    module: 'orchestrator',
    providerVersion: coderProviderVersion,
    sensitiveVariables: Object.keys(vars),
    withAgent: true,
    inputs: {
      pool_secret: 'var.pool_secret',
      coder_token: 'var.coder_token',
      runner_template: hcl('claude-runner-on-demand'),
      ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, hcl(value)])),
    },
  });
}

function cdktfStack(outdir: string, inputs: Inputs): string {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'parity');
  // The default state path is in the working directory, shared by every test file's plans.
  new LocalBackend(stack, { path: path.join(outdir, 'terraform.tfstate') });
  new CoderProvider(stack, 'coder');
  const variable = (name: string): string =>
    new TerraformVariable(stack, name, { type: 'string', sensitive: true }).stringValue;
  const agent = new Agent(stack, 'main', { arch: 'amd64', os: 'linux' });
  const props: Record<string, unknown> = {
    agentId: agent.id,
    poolSecret: variable('pool_secret'),
    coderToken: variable('coder_token'),
    runnerTemplate: 'claude-runner-on-demand',
  };
  for (const [name, value] of Object.entries(inputs)) props[camel(name)] = value;
  const orchestrator = new ClaudeRunnerOrchestrator(stack, 'orchestrator', props as unknown as OrchestratorProps);
  agent.putMetadata(orchestrator.agentMetadata);
  app.synth();
  return path.join(outdir, 'stacks', 'parity');
}

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrator-parity-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the orchestrator construct and the HCL sub-module plan the same values', () => {
  it.each(cases)('%s', async (name, inputs) => {
    const dir = path.join(work, name.replace(/\W+/g, '-'));
    hclRoot(path.join(dir, 'hcl'), inputs);
    const stackDir = cdktfStack(path.join(dir, 'cdktf'), inputs);
    const [hcl, cdk] = await Promise.all([
      planResources(path.join(dir, 'hcl'), vars, 'orchestrator'),
      planResources(stackDir, vars, 'orchestrator'),
    ]);

    expect([...cdk.keys()].sort()).toEqual([...hcl.keys()].sort());
    expect([...hcl.keys()].sort()).toEqual([
      'coder_agent.main',
      'coder_env.coder_token',
      'coder_env.environment_secret',
      'coder_script.orchestrator',
      'coder_script.orchestrator_stop',
    ]);
    for (const [key, planned] of hcl) {
      const other = cdk.get(key);
      expect(other?.values, key).toEqual(planned.values);
      expect(other?.sensitive_values, `${key} sensitivity`).toEqual(planned.sensitive_values);
    }
    expect(hcl.get('coder_env.environment_secret')?.sensitive_values).toEqual({ value: true });
    expect(hcl.get('coder_env.coder_token')?.sensitive_values).toEqual({ value: true });
    expect((hcl.get('coder_agent.main')?.values.metadata as unknown[]).length).toBe(7);
  });
});
