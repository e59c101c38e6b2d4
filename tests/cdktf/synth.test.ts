import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthTemplate } from '../../cdktf/examples/template/stack';
import { Testing } from '../../cdktf/src/cdk-lib';
import {
  ClaudeSelfHostedRunner,
  ClaudeSelfHostedRunnerPropsError,
  type ClaudeSelfHostedRunnerProps,
} from '../../cdktf/src/index';
import { repoRoot } from '../helpers/sandbox.js';

const base: ClaudeSelfHostedRunnerProps = {
  agentId: 'agent',
  workspaceId: '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
  poolSecret: 'pool-secret-value',
  selfEvictToken: 'token-value',
};

function synth(props: Partial<ClaudeSelfHostedRunnerProps> = {}) {
  let runner: ClaudeSelfHostedRunner | undefined;
  const json = Testing.synthScope((scope) => {
    runner = new ClaudeSelfHostedRunner(scope, 'runner', { ...base, ...props });
  });
  return { json: JSON.parse(json) as { resource: Record<string, Record<string, Record<string, unknown>>> }, runner };
}

describe('ClaudeSelfHostedRunner synth', () => {
  it('creates the module resources with the module names, secrets wrapped as sensitive', () => {
    const { json } = synth();
    const envs = Object.values(json.resource.coder_env ?? {});
    expect(envs.map((e) => e.name).sort()).toEqual([
      'CLAUDE_CAPACITY',
      'CLAUDE_POOL_SECRET',
      'CLAUDE_WORK_ORDER',
      'CODER_SELF_TOKEN',
      'CODER_WORKSPACE_ID',
      'GIT_BOT_TOKEN',
    ]);
    const byName = Object.fromEntries(envs.map((e) => [e.name, e.value]));
    expect(byName.CLAUDE_POOL_SECRET).toBe('${sensitive("pool-secret-value")}');
    expect(byName.CODER_SELF_TOKEN).toBe('${sensitive("token-value")}');
    expect(byName.CLAUDE_CAPACITY).toBe('4');
    const scripts = Object.values(json.resource.coder_script ?? {});
    expect(scripts.map((s) => s.display_name).sort()).toEqual([
      'Claude self-hosted runner',
      'Claude self-hosted runner (stop)',
    ]);
    expect(scripts.find((s) => s.run_on_stop)?.timeout).toBe(210);
  });

  it('exposes metadata items that fit the generated coder_agent metadata block', () => {
    const { runner } = synth({ order: 3 });
    expect(runner?.agentMetadata.map((m) => m.key)).toEqual([
      '0_lock_status',
      '1_active_sessions',
      '2_runner_id',
      '3_last_poll',
    ]);
    expect(runner?.supervisorMetadata.map((m) => m.order)).toEqual([7, 8, 9]);
    expect(runner?.agentMetadata[0]).toMatchObject({ displayName: 'Lock status', interval: 10, timeout: 5 });
  });

  it.each<[Partial<ClaudeSelfHostedRunnerProps>, RegExp]>([
    [{ capacity: 0 }, /capacity must be between 1 and 16/],
    [{ capacity: 17 }, /capacity must be between 1 and 16/],
    [{ permissionMode: 'yolo' }, /permission_mode must be one of/],
    [{ healthPort: 0 }, /health_port must be a whole number from 1 to 65535/],
    [{ drainTimeoutSeconds: 99 }, /drain_timeout_seconds must be a whole number from 100/],
    [{ shortRunSeconds: 10 }, /short_run_seconds must be a whole number from 30/],
    [{ stateDir: 'relative' }, /state_dir must be an absolute path/],
    [{ supervisorPath: 'x.cjs' }, /supervisor_path must be an absolute path/],
    [{ restartInitialDelaySeconds: 600, restartMaxDelaySeconds: 300 }, /must not exceed restart_max_delay_seconds/],
  ])('rejects %o at synth time with the module message', (props, message) => {
    expect(() => synth(props)).toThrow(ClaudeSelfHostedRunnerPropsError);
    expect(() => synth(props)).toThrow(message);
  });

  it('reports every problem at once', () => {
    try {
      synth({ capacity: 99, healthPort: -1, quarantineMinutes: -1 });
      expect.unreachable();
    } catch (error) {
      expect((error as ClaudeSelfHostedRunnerPropsError).problems).toHaveLength(3);
    }
  });
});

describe('the CDKTF example template', () => {
  let outdir: string;
  let stackDir: string;
  const tf = path.join(repoRoot, 'scripts', 'tf.sh');
  const env = (): Record<string, string> => ({
    TF_DATA_DIR: path.join(outdir, '.terraform'),
    CODER_WORKSPACE_ID: '0f8f5d6e-1c2b-4a39-8d7e-6b5a4c3d2e1f',
    CODER_WORKSPACE_OWNER_ID: 'c42fdf75-3097-471c-8c33-fb52454d81c0',
    CODER_WORKSPACE_TRANSITION: 'start',
  });

  beforeAll(async () => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-example-'));
    stackDir = synthTemplate(outdir, { poolSize: 3 });
    await execa(tf, ['init', '-input=false', '-no-color'], { cwd: stackDir, env: env() });
  }, 60_000);
  afterAll(() => {
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('synthesizes offline, with the module files as an asset', () => {
    const stack = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
      terraform: { required_providers: Record<string, { source: string; version: string }> };
      data: Record<string, Record<string, { prebuilds?: { instances: number } }>>;
    };
    expect(stack.terraform.required_providers.coder).toEqual({
      source: 'registry.terraform.io/coder/coder',
      version: '2.18.0',
    });
    expect(stack.data.coder_workspace_preset?.pool?.prebuilds?.instances).toBe(3);
    const assets = fs.readdirSync(path.join(stackDir, 'assets'), { recursive: true }).map(String);
    expect(assets.some((f) => f.endsWith('supervisor.cjs'))).toBe(true);
  });

  it('validates and plans with the real coder provider', async () => {
    const validate = await execa(tf, ['validate', '-no-color'], { cwd: stackDir, env: env() });
    expect(validate.stdout).toContain('Success! The configuration is valid.');
    const plan = await execa(
      tf,
      ['plan', '-input=false', '-no-color', '-var', 'pool_secret=pool-x', '-var', 'self_evict_token=token-x'],
      { cwd: stackDir, env: env() },
    );
    expect(plan.stdout).toMatch(/Plan: 9 to add, 0 to change, 0 to destroy\./);
    expect(plan.stdout).not.toContain('pool-x');
  });
});
