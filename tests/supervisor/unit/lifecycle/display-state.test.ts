import { describe, expect, it } from 'vitest';
import { displayState } from '../../../../supervisor/src/lifecycle/display-state.js';
import { initialPolicyState, type PolicyState } from '../../../../supervisor/src/lifecycle/policy.js';
import type { Observations } from '../../../../supervisor/src/lifecycle/status-projection.js';

const obs: Observations = {
  supervisorPid: 1,
  startedAt: '',
  capacity: 1,
  lockedAtBoot: false,
  lockSource: undefined,
  runner: { pid: 2, startTime: undefined },
  runnerVersion: undefined,
  runnerId: undefined,
  activeSessions: undefined,
  lastPollAgeMs: undefined,
  healthStatus: undefined,
  healthCheckedAt: undefined,
  sessionsSeen: 0,
  registration: { registered: false, failedAttempts: 2, lastFailure: 'connect ECONNREFUSED', runnerId: undefined },
  tokenCheck: undefined,
  retireAtEpochSec: undefined,
  eviction: undefined,
};
const registering: PolicyState = { ...initialPolicyState, phase: 'running', runnerAlive: true };
const since = Date.parse('2026-01-02T03:04:05Z');

describe('the dashboard state during an outage of Anthropic', () => {
  it('says registering with the attempt when no outage came before', () => {
    expect(displayState(registering, obs)).toBe('registering (attempt 3): connect ECONNREFUSED');
  });
  it('keeps the outage in view after a restart: since when, and the runs it cost', () => {
    const state: PolicyState = { ...registering, unreachableInRow: 4, unreachableSince: since };
    expect(displayState(state, obs)).toBe(
      'registering (attempt 3 of run 5; Anthropic unreachable since 03:04:05 UTC, 4 runs failed): connect ECONNREFUSED',
    );
  });
  it('and while it waits for the next run', () => {
    const state: PolicyState = {
      ...initialPolicyState,
      phase: 'unreachable',
      reason: 'cannot reach Anthropic (...); retrying in about 40 s',
      unreachableInRow: 1,
      unreachableSince: since,
    };
    expect(displayState(state, { ...obs, runner: undefined })).toBe(
      'cannot reach Anthropic (...); retrying in about 40 s (Anthropic unreachable since 03:04:05 UTC, 1 run failed)',
    );
  });
});
