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
});
