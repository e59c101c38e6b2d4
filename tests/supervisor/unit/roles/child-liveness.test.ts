import { describe, expect, it } from 'vitest';
import { ChildLiveness } from '../../../../supervisor/src/roles/child-liveness.js';
import type { HealthSnapshot } from '../../../../supervisor/src/roles/runner/health.js';
import { RunnerLiveness } from '../../../../supervisor/src/roles/runner/runner-liveness.js';

const health = (over: Partial<HealthSnapshot> = {}): HealthSnapshot => ({
  status: 'healthy',
  runnerId: 'ccrunner_1',
  activeSessions: 0,
  lastPollAt: undefined,
  lastPollAgeMs: 1000,
  ...over,
});

describe('ChildLiveness (a child that no longer works, whatever its role)', () => {
  it('names a stopped child by its role and pid, answered or not', () => {
    const liveness = new ChildLiveness('orchestrator', 0, 300_000);
    expect(liveness.observe(10, true, 42)).toBe('the orchestrator process 42 is stopped (state T)');
  });

  it('counts silence from the start until the first answer, and again from each answer', () => {
    const liveness = new ChildLiveness('orchestrator', 0, 300_000);
    expect(liveness.observe(300_000, false, undefined)).toBeUndefined();
    expect(liveness.observe(300_001, false, undefined)).toBe('its /healthz has not answered for more than 300 s');
    expect(liveness.observe(400_000, true, undefined)).toBeUndefined();
    expect(liveness.observe(700_000, false, undefined)).toBeUndefined();
    expect(liveness.observe(700_001, false, undefined)).toBe('its /healthz has not answered for more than 300 s');
  });
});

describe('RunnerLiveness (the runner adds stale polls of Anthropic)', () => {
  it('acts on a stopped runner, a silent one and one whose polls went stale, never on a draining one', () => {
    const liveness = new RunnerLiveness(0, 900_000);
    expect(liveness.observe({ now: 1, health: health(), stoppedPid: 7 })).toBe(
      'the runner process 7 is stopped (state T)',
    );
    expect(liveness.observe({ now: 2, health: health({ lastPollAgeMs: 900_001 }), stoppedPid: undefined })).toBe(
      'its last poll of Anthropic was 900 s ago, more than 900 s',
    );
    expect(
      liveness.observe({
        now: 3,
        health: health({ status: 'draining', lastPollAgeMs: 2_000_000 }),
        stoppedPid: undefined,
      }),
    ).toBeUndefined();
    expect(liveness.observe({ now: 900_003, health: undefined, stoppedPid: undefined })).toBeUndefined();
    expect(liveness.observe({ now: 900_004, health: undefined, stoppedPid: undefined })).toBe(
      'its /healthz has not answered for more than 900 s',
    );
  });
});
