import metadataItems from '../../../../../module/metadata-items.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import {
  formatLastPoll,
  runnerItems as dashboardItems,
} from '../../../../../supervisor/src/roles/runner/runner-items.js';
import { emptyStatus } from '../../../../../supervisor/src/state/status.js';

describe('dashboard items', () => {
  it('formats the last poll like the registry module', () => {
    expect(formatLastPoll(undefined)).toBe('?');
    expect(formatLastPoll(1234)).toBe('ok (1234ms ago)');
    expect(formatLastPoll(45_600)).toBe('stale (45s ago)');
  });

  it('shows ? for what is unknown and the counts when the runner is up', () => {
    const idle = dashboardItems(emptyStatus(new Date(0)));
    expect(idle).toMatchObject({
      '0_lock_status': 'unlocked',
      '1_active_sessions': '?',
      '2_runner_id': '?',
      '3_last_poll': '?',
      '6_last_error': 'none',
    });
    const up = dashboardItems({
      ...emptyStatus(new Date(0)),
      state: 'running',
      programPid: 5,
      activeSessions: 1,
      capacity: 4,
      locked: true,
      lastPollAgeMs: 20,
    });
    expect(up).toMatchObject({
      '0_lock_status': 'locked',
      '1_active_sessions': '1 / 4',
      '2_runner_id': '(starting)',
      '3_last_poll': 'ok (20ms ago)',
    });
  });

  it('has exactly the items of the module metadata list, in its order', () => {
    expect(Object.keys(dashboardItems(emptyStatus(new Date())))).toEqual(metadataItems.map((item) => item.key));
  });

  const up = (over: Record<string, unknown> = {}) =>
    dashboardItems({
      ...emptyStatus(new Date(0)),
      state: 'running',
      programPid: 5,
      runnerId: 'ccrunner_1',
      activeSessions: 0,
      capacity: 2,
      lastPollAgeMs: 1000,
      ...over,
    });

  it('0_lock_status: locked from the first session on', () => {
    expect(up()['0_lock_status']).toBe('unlocked');
    expect(up({ locked: true })['0_lock_status']).toBe('locked');
  });

  it('1_active_sessions: sessions of the capacity, only while the runner is up', () => {
    expect(up({ activeSessions: 2 })['1_active_sessions']).toBe('2 / 2');
    expect(up({ state: 'draining' })['1_active_sessions']).toBe('0 / 2');
    expect(up({ state: 'backoff' })['1_active_sessions']).toBe('?');
    expect(up({ capacity: undefined })['1_active_sessions']).toBe('?');
  });

  it('2_runner_id: the ID, (starting) while it comes, ? otherwise', () => {
    expect(up()['2_runner_id']).toBe('ccrunner_1');
    expect(up({ runnerId: undefined, state: 'starting', programPid: undefined })['2_runner_id']).toBe('(starting)');
    expect(up({ runnerId: undefined, state: 'quarantined', programPid: undefined })['2_runner_id']).toBe('?');
  });

  it('3_last_poll: fresh or stale, only while the runner is up', () => {
    expect(up()['3_last_poll']).toBe('ok (1000ms ago)');
    expect(up({ lastPollAgeMs: 31_000 })['3_last_poll']).toBe('stale (31s ago)');
    expect(up({ state: 'evicting' })['3_last_poll']).toBe('?');
  });

  it('4_supervisor_state: the words on one line, the isolation note never cut off', () => {
    expect(up({ display: 'serving:\n 1 session(s)' })['4_supervisor_state']).toBe('serving: 1 session(s)');
    const note = ' (isolation: off (no sudo))';
    const long = up({ display: 'x'.repeat(400), isolation: 'isolation: off (no sudo)' })['4_supervisor_state'];
    expect(long).toHaveLength(160);
    expect(long.endsWith(note)).toBe(true);
    expect(up({ isolation: 'isolation: on (claude-runner, via sudo)' })['4_supervisor_state']).not.toContain(
      'isolation',
    );
  });

  it('5_restarts: the runner restarts', () => {
    expect(up({ restarts: 4 })['5_restarts']).toBe('4');
  });

  it('6_last_error: the last error on one line, or none', () => {
    expect(up()['6_last_error']).toBe('none');
    expect(up({ lastError: 'a\nb' })['6_last_error']).toBe('a b');
    expect(up({ lastError: 'e'.repeat(300) })['6_last_error']).toHaveLength(200);
  });

  it("reads nothing of another role's part", () => {
    expect(up({ role: 'orchestrator' })).toMatchObject({ '1_active_sessions': '?', '2_runner_id': '(starting)' });
  });
});
