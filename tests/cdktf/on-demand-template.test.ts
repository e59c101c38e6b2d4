import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthOnDemandTemplates } from '../../cdktf/examples/on-demand/stack';
import { repoRoot } from '../helpers/repo-root.js';
import { parameterEnv, planTemplate } from '../helpers/template-plan.js';

/**
 * The on-demand templates in CDKTF (cdktf/examples/on-demand) validate and plan with the real
 * coder provider: a prebuild waits without a bound, a claim gets the order and a bound (a value
 * that only the plan knows), an out-of-range one fails the plan with the module's message, and
 * the orchestrator stack plans with its dashboard.
 */
const tf = path.join(repoRoot, 'scripts', 'tf.sh');
const order = 'eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJvcmRlci0yIn0.c2lnLUNES1RG';
let outdir: string;
let stacks: { runner: string; orchestrator: string };
let badStacks: { runner: string; orchestrator: string };

const env = (stackDir: string, build: 'prebuild' | 'claim'): Record<string, string> => ({
  TF_DATA_DIR: path.join(stackDir, '.terraform'),
  CODER_WORKSPACE_ID: '0f8f5d6e-1c2b-4a39-8d7e-6b5a4c3d2e1f',
  CODER_WORKSPACE_TRANSITION: 'start',
  ...(build === 'prebuild'
    ? { CODER_WORKSPACE_IS_PREBUILD: 'true', CODER_WORKSPACE_OWNER: 'prebuilds' }
    : { CODER_WORKSPACE_IS_PREBUILD_CLAIM: 'true', [parameterEnv('work_order')]: order }),
});
const init = (stackDir: string) =>
  execa(tf, ['init', '-input=false', '-no-color'], { cwd: stackDir, env: env(stackDir, 'prebuild') });

beforeAll(async () => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-on-demand-'));
  stacks = synthOnDemandTemplates(path.join(outdir, 'good'));
  badStacks = synthOnDemandTemplates(path.join(outdir, 'bad'), { runner: { orderWaitMinutes: 20_000 } });
  await Promise.all([init(stacks.runner), init(stacks.orchestrator), init(badStacks.runner)]);
}, 120_000);
afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

const launcherOf = (plan: Awaited<ReturnType<typeof planTemplate>>): string =>
  String([...plan.resources.values()].find((r) => r.type === 'coder_script' && r.values.run_on_start)?.values.script);
const envValue = (plan: Awaited<ReturnType<typeof planTemplate>>, name: string): unknown =>
  [...plan.resources.values()].find((r) => r.type === 'coder_env' && r.values.name === name)?.values.value;

describe('the CDKTF on-demand runner template', () => {
  it('validates', async () => {
    const validate = await execa(tf, ['validate', '-no-color'], {
      cwd: stacks.runner,
      env: env(stacks.runner, 'prebuild'),
    });
    expect(validate.stdout).toContain('Success! The configuration is valid.');
  });

  it('a prebuild waits for its claim without a bound and has no work order', async () => {
    const dir = stacks.runner;
    const plan = await planTemplate(dir, env(dir, 'prebuild'), { self_evict_token: 'token-x' }, path.join(dir, 'p'));
    expect(launcherOf(plan)).toContain('--mode on-demand --order-wait-min 0 ');
    expect(envValue(plan, 'CLAUDE_WORK_ORDER')).toBe('');
    expect(envValue(plan, 'CLAUDE_POOL_SECRET')).toBe('');
  });

  it("a claim's start build gets the order and a bound", async () => {
    const dir = stacks.runner;
    const plan = await planTemplate(dir, env(dir, 'claim'), { self_evict_token: 'token-x' }, path.join(dir, 'c'));
    expect(launcherOf(plan)).toContain('--order-wait-min 10 ');
    expect(envValue(plan, 'CLAUDE_WORK_ORDER')).toBe(order);
    expect(plan.text).not.toContain('c2lnLUNES1RG');
  });

  it('a bound out of range fails the plan with the module message, where only the plan knows it', async () => {
    const dir = badStacks.runner;
    // A prebuild's 0 is in range: the precondition passes.
    await planTemplate(dir, env(dir, 'prebuild'), { self_evict_token: 'token-x' }, path.join(dir, 'p'));
    const claim = await execa(tf, ['plan', '-input=false', '-no-color', '-var', 'self_evict_token=token-x'], {
      cwd: dir,
      env: env(dir, 'claim'),
      reject: false,
    });
    expect(claim.exitCode).toBe(1);
    expect(claim.stderr.replace(/\s+/g, ' ')).toContain(
      "order_wait_minutes must be a number from 0 to 10080 (0 waits forever, as a prebuild must; anything else should exceed the orchestrator's expected_spawn_seconds).",
    );
  });
});

describe('the CDKTF orchestrator template', () => {
  it('plans the orchestrator with its dashboard, no secret in a script', async () => {
    const dir = stacks.orchestrator;
    const plan = await planTemplate(
      dir,
      { TF_DATA_DIR: path.join(dir, '.terraform'), CODER_WORKSPACE_TRANSITION: 'start' },
      { environment_secret: 'environment-secret-x', runner_owner_token: 'owner-token-x' },
      path.join(dir, 'o'),
    );
    const launcher = launcherOf(plan);
    expect(launcher).toContain('--role orchestrator');
    expect(launcher).toContain("--runner-preset 'on-demand' --runner-template 'claude-runner-on-demand'");
    expect(launcher).not.toContain('environment-secret-x');
    const agent = [...plan.resources.values()].find((r) => r.type === 'coder_agent');
    expect((agent?.values.metadata as { key: string }[]).map((m) => m.key)).toHaveLength(7);
    expect(plan.text).toMatch(/Plan: 5 to add, 0 to change, 0 to destroy\./);
  });
});
