import { describe, expect, it } from 'vitest';
import { Testing, TerraformVariable } from '../../cdktf/src/cdk-lib';
import {
  ClaudeRunnerOrchestrator,
  ClaudeSelfHostedRunnerPropsError,
  orchestratorStopBudgetSec,
  type OrchestratorProps,
} from '../../cdktf/src/index';

const base: OrchestratorProps = {
  agentId: 'agent',
  poolSecret: 'environment-secret-value',
  coderToken: 'coder-token-value',
  runnerTemplate: 'claude-runner-on-demand',
};

type Synthesized = { resource: Record<string, Record<string, Record<string, unknown>>> };
function synth(props: Partial<OrchestratorProps> = {}) {
  let orchestrator: ClaudeRunnerOrchestrator | undefined;
  const json = Testing.synthScope((scope) => {
    orchestrator = new ClaudeRunnerOrchestrator(scope, 'orchestrator', { ...base, ...props });
  });
  return { json: JSON.parse(json) as Synthesized, orchestrator };
}

describe('ClaudeRunnerOrchestrator synth', () => {
  it("creates the sub-module's resources, the secrets wrapped as sensitive", () => {
    const { json } = synth();
    const envs = Object.values(json.resource.coder_env ?? {});
    expect(Object.fromEntries(envs.map((e) => [e.name, e.value]))).toEqual({
      CLAUDE_POOL_SECRET: '${sensitive("environment-secret-value")}',
      CODER_SPAWN_TOKEN: '${sensitive("coder-token-value")}',
    });
    const scripts = Object.values(json.resource.coder_script ?? {});
    expect(scripts.map((s) => s.display_name).sort()).toEqual([
      'Claude runner orchestrator',
      'Claude runner orchestrator (stop)',
    ]);
    expect(scripts.find((s) => s.run_on_start)?.start_blocks_login).toBe(false);
    // The stop's budget (at least 100 s) and 30 s for the supervisor to persist its state.
    expect(scripts.find((s) => s.run_on_stop)?.timeout).toBe(130);
    // Every value is a literal: nothing is left for a plan to check.
    expect(scripts.find((s) => s.run_on_start)?.lifecycle).toBeUndefined();
  });

  it('sizes the stop budget from the hook timeout, as orchestrator/main.tf does', () => {
    expect(orchestratorStopBudgetSec(60)).toBe(100);
    expect(orchestratorStopBudgetSec(300)).toBe(325);
    const { json } = synth({ hookTimeoutSeconds: 300, expectedSpawnSeconds: 600 });
    expect(Object.values(json.resource.coder_script ?? {}).find((s) => s.run_on_stop)?.timeout).toBe(355);
  });

  it('exposes the seven dashboard items in the shape of the generated coder_agent metadata block', () => {
    const { orchestrator } = synth({ order: 5 });
    expect(orchestrator?.agentMetadata.map((m) => m.key)).toEqual([
      '0_connected',
      '1_last_poll',
      '2_spawn_hooks',
      '3_standby',
      '4_supervisor_state',
      '5_restarts',
      '6_last_error',
    ]);
    expect(orchestrator?.agentMetadata.map((m) => m.order)).toEqual([5, 6, 7, 8, 9, 10, 11]);
    expect(orchestrator?.agentMetadata[0]).toMatchObject({ displayName: 'Anthropic connection', interval: 10 });
    for (const item of orchestrator?.agentMetadata ?? []) expect(item.script).not.toMatch(/curl|node /);
  });

  it.each<[Partial<OrchestratorProps>, RegExp]>([
    [{ hookTimeoutSeconds: 120 }, /hook_timeout_seconds \+ 5 must be less than expected_spawn_seconds/],
    [{ minIdle: 201 }, /min_idle must be a whole number from 0 to 200/],
    [{ hookConcurrency: 0 }, /hook_concurrency must be a whole number from 1 to 64/],
    [{ workspaceNamePrefix: 'Claude_Run' }, /workspace_name_prefix must be lower-case letters and digits/],
    [{ workspaceNamePrefix: 'a-very-long-prefix' }, /at most 15 characters/],
    [{ runnerPreset: 'two\nlines' }, /runner_preset must be one line/],
    [{ stateDir: 'relative' }, /state_dir must be an absolute path/],
    [{ restartInitialDelaySeconds: 600, restartMaxDelaySeconds: 300 }, /must not exceed restart_max_delay_seconds/],
  ])('rejects %o at synth time with the module message, naming the construct', (props, message) => {
    expect(() => synth(props)).toThrow(ClaudeSelfHostedRunnerPropsError);
    expect(() => synth(props)).toThrow(message);
    expect(() => synth(props)).toThrow(/invalid ClaudeRunnerOrchestrator props/);
  });

  it('needs the hook timeout at synth time (the stop budget is computed from it)', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        const timeout = new TerraformVariable(scope, 'hook_timeout', { type: 'number' });
        new ClaudeRunnerOrchestrator(scope, 'orchestrator', { ...base, hookTimeoutSeconds: timeout.numberValue });
      }),
    ).toThrow(/hook_timeout_seconds must be a plain number, known at synth time/);
  });

  it('checks a value that only a plan knows with a precondition of the launcher, as the module does', () => {
    const json = Testing.synthScope((scope) => {
      const lease = new TerraformVariable(scope, 'lease', { type: 'number' });
      new ClaudeRunnerOrchestrator(scope, 'orchestrator', { ...base, expectedSpawnSeconds: lease.numberValue });
    });
    const synthesized = JSON.parse(json) as Synthesized & { locals: Record<string, unknown> };
    const launcher = Object.values(synthesized.resource.coder_script ?? {}).find((s) => s.run_on_start);
    const preconditions = (launcher?.lifecycle as { precondition: { condition: string; error_message: string }[] })
      .precondition;
    expect(preconditions.map((p) => p.error_message)).toEqual([
      'expected_spawn_seconds must be a whole number from 10 to 3600.',
      'hook_timeout_seconds + 5 must be less than expected_spawn_seconds: the orchestrator refuses to start otherwise.',
    ]);
    const local = Object.keys(synthesized.locals).find((name) =>
      name.startsWith('orchestrator_expected_spawn_seconds_value'),
    );
    expect(preconditions[1]?.condition).toBe(`\${60 + 5 < local.${local}}`);
  });
});
