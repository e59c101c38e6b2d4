import { describe, expect, it } from 'vitest';
import { crossRuleHolds, crossRuleProblem, crossRuleTerraform } from '../../../../supervisor/src/config/cross-rules.js';
import type { CrossInputRule } from '../../../../supervisor/src/config/inputs.js';

const atMost: CrossInputRule = { input: 'restartInitialSec', bound: 'restartMaxSec', message: 'm' };
const lessWithMargin: CrossInputRule = { ...atMost, margin: 5, strict: true };

describe('rules between inputs', () => {
  it('hold, fail and say so by flag, in the supervisor and in Terraform alike', () => {
    expect(crossRuleHolds(atMost, 5, 5)).toBe(true);
    expect(crossRuleHolds(lessWithMargin, 60, 65)).toBe(false);
    expect(crossRuleHolds(lessWithMargin, 60, 66)).toBe(true);
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
});
