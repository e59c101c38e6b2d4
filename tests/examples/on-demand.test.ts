import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/repo-root.js';
import {
  consoleValue,
  initTemplate,
  parameterEnv,
  planTemplate,
  validateTemplate,
  type TemplatePlan,
} from '../helpers/template-plan.js';

/**
 * The two on-demand templates validate and plan with the real providers, built from source: the
 * runner template as a prebuild (no work order), as the claim's start build that brings the
 * order, as a fresh build and stopped; the orchestrator template with its dashboard.
 */
const examples = path.join(repoRoot, 'examples', 'on-demand');
const runnerDir = path.join(examples, 'runner');
const orchestratorDir = path.join(examples, 'orchestrator');
const workspaceId = '0f8f5d6e-1c2b-4a39-8d7e-6b5a4c3d2e1f';
/** Coder's `prebuilds` system user, which owns every unclaimed prebuild. */
const prebuildsUserId = 'c42fdf75-3097-471c-8c33-fb52454d81c0';
const runnerOwnerId = '5b0c1e2d-7a3f-4c88-9d61-2e4f6a8b0c13';
const order = `eyJhbGciOiJFUzI1NiJ9.${Buffer.from(JSON.stringify({ jti: 'order-1', 'ccr:role': 'pool_spawn' })).toString('base64url')}.c2lnLU9SREVS`;
const runnerVars = { coder_bootstrap_token: 'boot-token-value' };
const orchestratorVars = { environment_secret: 'environment-secret-value', runner_owner_token: 'owner-token-value' };
let dataDir: string;

type Build = 'prebuild' | 'claim' | 'fresh' | 'stop';

/** What Coder's provisioner sets for each kind of build of the runner template. */
function runnerEnv(build: Build): Record<string, string> {
  const prebuild = build === 'prebuild' || build === 'stop';
  return {
    TF_DATA_DIR: path.join(dataDir, 'runner'),
    CODER_WORKSPACE_ID: workspaceId,
    CODER_WORKSPACE_NAME: prebuild ? 'prebuild-x7k2q' : 'claude-run-0123456789abcdef',
    CODER_WORKSPACE_OWNER: prebuild ? 'prebuilds' : 'claude-runners',
    CODER_WORKSPACE_OWNER_ID: prebuild ? prebuildsUserId : runnerOwnerId,
    CODER_WORKSPACE_TRANSITION: build === 'stop' ? 'stop' : 'start',
    CODER_WORKSPACE_ACCESS_URL: 'https://coder.example.com',
    CODER_WORKSPACE_ACCESS_PORT: '443',
    ...(prebuild ? { CODER_WORKSPACE_IS_PREBUILD: 'true' } : {}),
    ...(build === 'claim' ? { CODER_WORKSPACE_IS_PREBUILD_CLAIM: 'true' } : {}),
    // The spawn-runner hook's create request carries the order as this build parameter.
    ...(build === 'claim' || build === 'fresh' ? { [parameterEnv('work_order')]: order } : {}),
  };
}

const orchestratorEnv = (): Record<string, string> => ({
  TF_DATA_DIR: path.join(dataDir, 'orchestrator'),
  CODER_WORKSPACE_ID: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  CODER_WORKSPACE_NAME: 'orchestrator',
  CODER_WORKSPACE_OWNER: 'admin',
  CODER_WORKSPACE_OWNER_ID: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5',
  CODER_WORKSPACE_TRANSITION: 'start',
  CODER_WORKSPACE_ACCESS_URL: 'https://coder.example.com',
});

const plans = new Map<Build, Promise<TemplatePlan>>();
/** One plan per kind of build, shared by the tests that read it. */
function planRunner(build: Build): Promise<TemplatePlan> {
  let plan = plans.get(build);
  if (!plan) {
    plan = planTemplate(runnerDir, runnerEnv(build), runnerVars, path.join(dataDir, `${build}.plan`));
    plans.set(build, plan);
  }
  return plan;
}

let orchestratorPlan: Promise<TemplatePlan> | undefined;
const planOrchestrator = (): Promise<TemplatePlan> =>
  (orchestratorPlan ??= planTemplate(
    orchestratorDir,
    orchestratorEnv(),
    orchestratorVars,
    path.join(dataDir, 'orchestrator.plan'),
  ));

const valueOf = (plan: TemplatePlan, address: string): Record<string, unknown> => {
  const resource = plan.resources.get(address);
  if (!resource) throw new Error(`${address} is not in the plan: ${[...plan.resources.keys()].join(', ')}`);
  return resource.values;
};
const launcher = (plan: TemplatePlan): string =>
  String(valueOf(plan, 'module.claude_runner.coder_script.claude_runner').script);

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'on-demand-examples-'));
  await Promise.all([initTemplate(runnerDir, runnerEnv('prebuild')), initTemplate(orchestratorDir, orchestratorEnv())]);
}, 120_000);

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('examples/on-demand/runner', () => {
  it('validates', async () => {
    const said = await validateTemplate(runnerDir, runnerEnv('prebuild'));
    expect(said).toContain('Success! The configuration is valid.');
    expect(said).not.toContain('Warning');
  });

  it('declares the work order as an ephemeral, mutable string parameter, empty by default, and a preset with prebuilds', async () => {
    const plan = await planRunner('prebuild');
    expect(plan.data.get('data.coder_parameter.work_order')?.values).toMatchObject({
      name: 'work_order',
      type: 'string',
      // The provider records a default of "" as null; `optional` says that one is given.
      optional: true,
      mutable: true,
      ephemeral: true,
      value: '',
    });
    const preset = plan.data.get('data.coder_workspace_preset.on_demand')?.values;
    expect(preset?.name).toBe('on-demand');
    expect(preset?.prebuilds).toEqual([expect.objectContaining({ instances: 2, expiration_policy: [{ ttl: 86400 }] })]);
  });

  it('a prebuild plans with an empty work order, no environment secret, and waits for its claim without a bound', async () => {
    const plan = await planRunner('prebuild');
    expect(valueOf(plan, 'module.claude_runner.coder_env.work_order').value).toBe('');
    expect(valueOf(plan, 'module.claude_runner.coder_env.pool_secret').value).toBe('');
    expect(launcher(plan)).toContain('--mode on-demand');
    expect(launcher(plan)).toContain('--order-wait-min 0');
    expect(valueOf(plan, 'module.claude_runner.coder_env.capacity').value).toBe('1');
    // Its self-evict token belongs to the prebuilds user (the owner of the build).
    expect(valueOf(plan, 'restapi_object.self_evict_token[0]').path).toBe(
      `/api/v2/users/${prebuildsUserId}/keys/tokens`,
    );
    expect(plan.resources.has('docker_container.workspace[0]')).toBe(true);
  });

  it("a claim's start build brings the work order, gives it a bound, and mints the token for the new owner", async () => {
    const plan = await planRunner('claim');
    const workOrder = plan.resources.get('module.claude_runner.coder_env.work_order');
    expect(workOrder?.values).toMatchObject({ name: 'CLAUDE_WORK_ORDER', value: order });
    expect(workOrder?.sensitive_values).toEqual({ value: true });
    expect(valueOf(plan, 'module.claude_runner.coder_env.pool_secret').value).toBe('');
    expect(launcher(plan)).toContain('--order-wait-min 10');
    const token = valueOf(plan, 'restapi_object.self_evict_token[0]');
    expect(token.path).toBe(`/api/v2/users/${runnerOwnerId}/keys/tokens`);
    // A change of owner replaces the prebuild's token (the prebuilds user's) with a new one.
    expect(token.force_new).toEqual([runnerOwnerId]);
    // The order is never in a rendered script nor in the plan's text.
    for (const address of [
      'module.claude_runner.coder_script.claude_runner',
      'module.claude_runner.coder_script.claude_runner_stop',
    ]) {
      expect(String(valueOf(plan, address).script)).not.toContain('c2lnLU9SREVS');
    }
    expect(plan.text).not.toContain('c2lnLU9SREVS');
  });

  it('a claim keeps the warm container: nothing it is named by changes with the owner or the name', async () => {
    const [prebuild, claim] = await Promise.all([planRunner('prebuild'), planRunner('claim')]);
    const identity = (plan: TemplatePlan) => {
      const container = valueOf(plan, 'docker_container.workspace[0]');
      return { name: container.name, hostname: container.hostname, image: container.image };
    };
    expect(identity(claim)).toEqual(identity(prebuild));
    expect(identity(claim).name).toBe(`coder-claude-runner-${workspaceId}`);
    expect(valueOf(claim, 'docker_volume.home').name).toBe(valueOf(prebuild, 'docker_volume.home').name);
  });

  it('a fresh build (no prebuild was ready, or the open-source server) is the same as a claim', async () => {
    const plan = await planRunner('fresh');
    expect(valueOf(plan, 'module.claude_runner.coder_env.work_order').value).toBe(order);
    expect(launcher(plan)).toContain('--order-wait-min 10');
  });

  it('the dashboard has the module items on the agent', async () => {
    const plan = await planRunner('claim');
    const metadata = valueOf(plan, 'coder_agent.main').metadata as { key: string }[];
    expect(metadata.map((m) => m.key)).toEqual([
      '0_lock_status',
      '1_active_sessions',
      '2_runner_id',
      '3_last_poll',
      '4_supervisor_state',
      '5_restarts',
      '6_last_error',
    ]);
  });

  it('mints the token measured on a real Coder server (docs/self-evict-token.md), living past the lifetime', async () => {
    const [scopes, allowList, lifetime] = (await consoleValue(
      runnerDir,
      runnerEnv('claim'),
      runnerVars,
      '[local.self_evict_scopes, local.self_evict_allow_list, local.token_lifetime_seconds]',
    )) as [string[], string[], number];
    expect(scopes).toEqual(['workspace:read', 'workspace:delete', 'template:read', 'user:read']);
    expect(allowList).toEqual([`workspace:${workspaceId}`, 'template:*', `user:${runnerOwnerId}`]);
    expect(lifetime).toBe(86400 + 3600);
  });

  it('a stopped workspace has neither a container nor a token', async () => {
    const plan = await planRunner('stop');
    expect(plan.resources.has('docker_container.workspace[0]')).toBe(false);
    expect(plan.resources.has('restapi_object.self_evict_token[0]')).toBe(false);
    expect(plan.resources.has('terraform_data.token_nonce[0]')).toBe(false);
    expect(plan.resources.has('module.claude_runner.coder_script.claude_runner')).toBe(true);
  });
});

describe('examples/on-demand/orchestrator', () => {
  it('validates', async () => {
    const said = await validateTemplate(orchestratorDir, orchestratorEnv());
    expect(said).toContain('Success! The configuration is valid.');
    expect(said).not.toContain('Warning');
  });

  it('plans the orchestrator with its secrets sensitive, the runner template and preset, and its dashboard', async () => {
    const plan = await planOrchestrator();
    const secret = plan.resources.get('module.orchestrator.coder_env.environment_secret');
    expect(secret?.values).toMatchObject({ name: 'CLAUDE_POOL_SECRET', value: 'environment-secret-value' });
    expect(secret?.sensitive_values).toEqual({ value: true });
    const token = plan.resources.get('module.orchestrator.coder_env.coder_token');
    expect(token?.values).toMatchObject({ name: 'CODER_SPAWN_TOKEN', value: 'owner-token-value' });
    expect(token?.sensitive_values).toEqual({ value: true });

    const script = String(valueOf(plan, 'module.orchestrator.coder_script.orchestrator').script);
    for (const words of [
      '--role orchestrator',
      "--runner-template 'claude-runner-on-demand'",
      "--runner-preset 'on-demand'",
      "--runner-owner 'me'",
      "--work-order-parameter 'work_order'",
      '--hook-concurrency 4',
      '--hook-timeout-sec 60',
      '--expected-spawn-sec 120',
      '--min-idle 0',
    ]) {
      expect(script).toContain(words);
    }
    for (const address of [
      'module.orchestrator.coder_script.orchestrator',
      'module.orchestrator.coder_script.orchestrator_stop',
    ]) {
      const text = String(valueOf(plan, address).script);
      expect(text).not.toContain('environment-secret-value');
      expect(text).not.toContain('owner-token-value');
    }
    expect(plan.text).not.toContain('environment-secret-value');

    const metadata = valueOf(plan, 'coder_agent.main').metadata as { key: string }[];
    expect(metadata.map((m) => m.key)).toEqual([
      '0_connected',
      '1_last_poll',
      '2_spawn_hooks',
      '3_standby',
      '4_supervisor_state',
      '5_restarts',
      '6_last_error',
    ]);
    expect(plan.resources.has('docker_container.workspace[0]')).toBe(true);
  });

  it("names the runner template's preset and work order parameter as that template has them", async () => {
    const [runner, orchestrator] = await Promise.all([planRunner('prebuild'), planOrchestrator()]);
    const preset = String(runner.data.get('data.coder_workspace_preset.on_demand')?.values.name);
    const parameter = String(runner.data.get('data.coder_parameter.work_order')?.values.name);
    const script = String(valueOf(orchestrator, 'module.orchestrator.coder_script.orchestrator').script);
    expect(script).toContain(`--runner-preset '${preset}'`);
    expect(script).toContain(`--work-order-parameter '${parameter}'`);
  });
});
