import { describe, expect, it } from 'vitest';
import { readStatusFile, runBundle, standInEvents, waitFor } from '../helpers/sandbox.js';
import { sandboxPerTest } from '../helpers/sandbox-per-test.js';

/**
 * Durations beyond Node's timer limit (2^31-1 ms, about 35,791 minutes) fired at once: every
 * start self-evicted and the pool churned. Now they are chained and wait as long as they say.
 */
const sandboxes = sandboxPerTest();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('durations beyond the timer limit', () => {
  it('a year-long quarantine does not evict at once', async () => {
    const sb = await sandboxes.make({ scenarios: 'crash' });
    expect((await runBundle(sb, ['start', ...sb.flags, '--quarantine-min', '525600'])).exitCode).toBe(0);
    await waitFor('quarantine', () => readStatusFile(sb)?.state === 'quarantined');
    await sleep(2000);
    expect(readStatusFile(sb)?.state).toBe('quarantined');
    expect(sb.api.deleteBuilds).toBe(0);
  });

  it('a year-long lifetime neither evicts at once nor leaves the runner unsupervised', async () => {
    const sb = await sandboxes.make({ scenarios: 'idle' });
    expect((await runBundle(sb, ['start', ...sb.flags, '--max-lifetime-min', '525600'])).exitCode).toBe(0);
    await waitFor(
      'waiting for a session',
      () => readStatusFile(sb)?.state === 'running' && readStatusFile(sb)?.runnerId,
    );
    await sleep(2000);
    expect(readStatusFile(sb)?.state).toBe('running');
    expect(sb.api.deleteBuilds).toBe(0);
    expect(standInEvents(sb).filter((e) => e.event === 'start')).toHaveLength(1);
    const retireAt = Number(
      standInEvents(sb)[0]?.argv?.[(standInEvents(sb)[0]?.argv?.indexOf('--retire-at') ?? 0) + 1],
    );
    // The lifetime stays a year away; the runner is told the earlier of it and its own cap
    // (max_locked_minutes, a day by default).
    expect(Number(readStatusFile(sb)?.retireAtEpochSec) - Date.now() / 1000).toBeGreaterThan(525_000 * 60);
    expect(Math.abs(retireAt - Date.now() / 1000 - 1440 * 60)).toBeLessThan(120);
  });
});
