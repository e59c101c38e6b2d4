import { describe, expect, it } from 'vitest';
import { initialPolicyState, type PolicyState } from '../../../../../supervisor/src/lifecycle/policy.js';
import { displayState, type RunnerView } from '../../../../../supervisor/src/roles/runner/runner-display.js';

const obs: RunnerView = {
  alive: true,
  runnerId: undefined,
  activeSessions: undefined,
  healthStatus: undefined,
  registration: { registered: false, failedAttempts: 2, lastFailure: 'connect ECONNREFUSED', runnerId: undefined },
};
const registering: PolicyState = { ...initialPolicyState, phase: 'running', programAlive: true };
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
    expect(displayState(state, { ...obs, alive: false })).toBe(
      'cannot reach Anthropic (...); retrying in about 40 s (Anthropic unreachable since 03:04:05 UTC, 1 run failed)',
    );
  });
});

describe('the dashboard state of an on-demand prebuild', () => {
  it('says that it waits for a session, with no work order yet', () => {
    const state: PolicyState = { ...initialPolicyState, phase: 'waiting-for-order', reason: 'no work order yet' };
    expect(displayState(state, { ...obs, alive: false })).toBe(
      'waiting for a session: a prebuild with no work order yet',
    );
  });
});
