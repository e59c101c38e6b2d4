import { describe, expect, it } from 'vitest';
import {
  crossRuleHolds,
  crossRuleProblem,
  crossRuleTerraform,
  ruleInModule,
} from '../../../../supervisor/src/config/cross-rules.js';
import { crossInputRules, type CrossInputRule } from '../../../../supervisor/src/config/inputs.js';

const atMost: CrossInputRule = { kind: 'at-most', input: 'restartInitialSec', bound: 'restartMaxSec', message: 'm' };
const lessWithMargin: CrossInputRule = { ...atMost, margin: 5, strict: true };
const poolNeedsSecret: CrossInputRule = {
  kind: 'when',
  when: { input: 'runnerMode', equals: 'pool' },
  then: { input: 'poolSecret', present: true },
  message: 'm',
};
const onDemandHasNone: CrossInputRule = {
  ...poolNeedsSecret,
  when: { input: 'runnerMode', equals: 'on-demand' },
  then: { input: 'poolSecret', present: false },
};
const from = (values: Record<string, unknown>) => (name: string) => values[name];

describe('rules between inputs', () => {
  it('at-most: holds, fails and says so by flag, in the supervisor and in Terraform alike', () => {
    expect(crossRuleHolds(atMost, from({ restartInitialSec: 5, restartMaxSec: 5 }))).toBe(true);
    expect(crossRuleHolds(lessWithMargin, from({ restartInitialSec: 60, restartMaxSec: 65 }))).toBe(false);
    expect(crossRuleHolds(lessWithMargin, from({ restartInitialSec: 60, restartMaxSec: 66 }))).toBe(true);
    expect(crossRuleProblem(atMost, { restartInitialSec: 10, restartMaxSec: 5 })).toBe(
      '--restart-initial-sec: expected at most --restart-max-sec (5), got 10',
    );
    expect(crossRuleProblem(lessWithMargin, { restartInitialSec: 60, restartMaxSec: 65 })).toBe(
      '--restart-initial-sec: expected less than --restart-max-sec minus 5 (60), got 60',
    );
    expect(crossRuleProblem(atMost, { restartInitialSec: 1, restartMaxSec: 5 })).toBeUndefined();
    expect(crossRuleTerraform(atMost)).toBe('var.restart_initial_delay_seconds <= var.restart_max_delay_seconds');
    expect(crossRuleTerraform(lessWithMargin)).toBe(
      'var.restart_initial_delay_seconds + 5 < var.restart_max_delay_seconds',
    );
  });

  it('when: an input is required, or must be empty, when another has a value; never quoting it', () => {
    expect(crossRuleHolds(poolNeedsSecret, from({ runnerMode: 'pool', poolSecret: 's' }))).toBe(true);
    expect(crossRuleHolds(poolNeedsSecret, from({ runnerMode: 'on-demand' }))).toBe(true);
    expect(crossRuleHolds(poolNeedsSecret, from({}))).toBeUndefined();
    expect(crossRuleProblem(poolNeedsSecret, { runnerMode: 'pool', poolSecret: undefined })).toMatch(
      /^CLAUDE_POOL_SECRET: is required when --mode is pool: set the module's pool_secret input/,
    );
    const said = crossRuleProblem(onDemandHasNone, { runnerMode: 'on-demand', poolSecret: 'SECRET-x' });
    expect(said).toMatch(/^CLAUDE_POOL_SECRET: must be empty when --mode is on-demand/);
    expect(said).not.toContain('SECRET-x');
    expect(crossRuleTerraform(poolNeedsSecret)).toBe(
      'var.runner_mode != "pool" || (var.pool_secret != null && var.pool_secret != "")',
    );
    expect(crossRuleTerraform(onDemandHasNone)).toBe(
      'var.runner_mode != "on-demand" || var.pool_secret == null || var.pool_secret == ""',
    );
  });

  it('each module checks only the rules whose inputs are all its variables', () => {
    const inRunner = crossInputRules.filter((r) => ruleInModule(r, 'runner')).length;
    const inOrchestrator = crossInputRules.filter((r) => ruleInModule(r, 'orchestrator'));
    expect(inRunner).toBe(4);
    expect(inOrchestrator.map((r) => (r.kind === 'at-most' ? r.input : r.then.input))).toEqual([
      'restartInitialSec',
      'hookTimeoutSec',
    ]);
  });
});
