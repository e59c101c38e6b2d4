import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/sandbox.js';

/** The example template validates and plans with the real providers, built from source. */
const example = path.join(repoRoot, 'examples', 'prebuilt-runner-pool');
const tf = path.join(repoRoot, 'scripts', 'tf.sh');
const workspaceId = '0f8f5d6e-1c2b-4a39-8d7e-6b5a4c3d2e1f';
const ownerId = 'c42fdf75-3097-471c-8c33-fb52454d81c0';
let dataDir: string;

// What the Coder provisioner sets for a prebuild of this template.
function provisionerEnv(transition: 'start' | 'stop'): Record<string, string> {
  return {
    TF_DATA_DIR: dataDir,
    CODER_WORKSPACE_ID: workspaceId,
    CODER_WORKSPACE_NAME: 'runner-7q2',
    CODER_WORKSPACE_OWNER: 'prebuilds',
    CODER_WORKSPACE_OWNER_ID: ownerId,
    CODER_WORKSPACE_TRANSITION: transition,
    CODER_WORKSPACE_ACCESS_URL: 'https://coder.example.com',
    CODER_WORKSPACE_ACCESS_PORT: '443',
  };
}

interface PlannedResource {
  address: string;
  type: string;
  values: Record<string, unknown>;
}
interface PlanJson {
  planned_values: {
    root_module: { resources?: PlannedResource[]; child_modules?: { resources: PlannedResource[] }[] };
  };
}

async function plan(transition: 'start' | 'stop'): Promise<PlannedResource[]> {
  const out = path.join(dataDir, `${transition}.plan`);
  const env = provisionerEnv(transition);
  await execa(
    tf,
    [
      'plan',
      '-input=false',
      '-no-color',
      `-out=${out}`,
      '-var',
      'pool_secret=pool-x',
      '-var',
      'coder_bootstrap_token=boot-x',
    ],
    { cwd: example, env },
  );
  const shown = await execa(tf, ['show', '-json', out], { cwd: example, env });
  const root = (JSON.parse(shown.stdout) as PlanJson).planned_values.root_module;
  return [...(root.resources ?? []), ...(root.child_modules ?? []).flatMap((m) => m.resources)];
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-tf-'));
  await execa(tf, ['init', '-input=false', '-no-color'], { cwd: example, env: provisionerEnv('start') });
}, 120_000);

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('examples/prebuilt-runner-pool', () => {
  it('validates', async () => {
    const result = await execa(tf, ['validate', '-no-color'], { cwd: example, env: provisionerEnv('start') });
    expect(result.stdout).toContain('Success! The configuration is valid.');
    expect(result.stdout).not.toContain('Warning');
  });

  it('plans a runner workspace: container, scoped token, module and the dashboard items', async () => {
    const resources = await plan('start');
    const byAddress = new Map(resources.map((r) => [r.address, r]));
    expect([...byAddress.keys()]).toEqual(
      expect.arrayContaining([
        'coder_agent.main',
        'docker_container.workspace[0]',
        'docker_volume.home',
        'restapi_object.self_evict_token[0]',
        'module.claude_runner.coder_script.claude_runner',
        'module.claude_runner.coder_script.claude_runner_stop',
        'module.claude_runner.coder_env.self_token',
      ]),
    );
    const token = byAddress.get('restapi_object.self_evict_token[0]')?.values;
    expect(token?.path).toBe(`/api/v2/users/${ownerId}/keys/tokens`);
    // Its name and body wait for the per-start nonce (a token name of its own for every start).
    expect(byAddress.has('terraform_data.token_nonce[0]')).toBe(true);
    const metadata = byAddress.get('coder_agent.main')?.values.metadata as { key: string }[];
    expect(metadata.map((m) => m.key)).toEqual([
      'cpu',
      '0_lock_status',
      '1_active_sessions',
      '2_runner_id',
      '3_last_poll',
      '4_supervisor_state',
      '5_restarts',
      '6_last_error',
    ]);
    expect(byAddress.get('module.claude_runner.coder_env.workspace_id')?.values.value).toBe(workspaceId);
    expect(String(byAddress.get('module.claude_runner.coder_script.claude_runner')?.values.script)).toContain(
      '--max-lifetime-min 720',
    );
  });

  it('mints the token measured on a real Coder server (tests/coder/token-matrix.test.ts)', async () => {
    const env = provisionerEnv('start');
    const shown = await execa(
      tf,
      ['console', '-plan', '-var', 'pool_secret=pool-x', '-var', 'coder_bootstrap_token=boot-x'],
      { cwd: example, env, input: 'jsonencode([local.self_evict_scopes, local.self_evict_allow_list])\n' },
    );
    const [scopes, allowList] = JSON.parse(JSON.parse(shown.stdout.trim()) as string) as [string[], string[]];
    expect(scopes).toEqual(['workspace:read', 'workspace:delete', 'template:read', 'user:read']);
    expect(allowList).toEqual([`workspace:${workspaceId}`, 'template:*', `user:${ownerId}`]);
  });

  it('a stopped workspace has neither a container nor a token', async () => {
    const addresses = (await plan('stop')).map((r) => r.address);
    expect(addresses).not.toContain('docker_container.workspace[0]');
    expect(addresses).not.toContain('restapi_object.self_evict_token[0]');
    expect(addresses).not.toContain('terraform_data.token_nonce[0]');
    expect(addresses).toContain('module.claude_runner.coder_script.claude_runner');
  });
});
