import { describe, expect, it } from 'vitest';
import { readItem, readStatusFile, standInEvents, waitFor } from '../../helpers/sandbox.js';
import { sandboxPerTest } from '../../helpers/sandbox-per-test.js';

/**
 * A runner that is alive but no longer works is acted on, not only one that exits: /healthz
 * that stops answering for longer than runner_unresponsive_seconds, and the hard cap on a
 * runner's life (max_locked_minutes, handed to it as --retire-at, then a kill).
 */
const sandboxes = sandboxPerTest();
const starts = (sb: Parameters<typeof standInEvents>[0]): number =>
  standInEvents(sb).filter((e) => e.event === 'start').length;

describe('a runner that no longer works', () => {
  it('whose /healthz stops answering is killed; unlocked, a fresh one starts; nothing is evicted', async () => {
    const sb = await sandboxes.started({ scenarios: 'idle', extraEnv: { STANDIN_HEALTH_HANGS_AFTER_MS: '1500' } }, [
      '--runner-unresponsive-sec',
      '10',
    ]);
    await waitFor('a second runner', () => starts(sb) >= 2, 40_000);
    const first = standInEvents(sb).find((e) => e.event === 'start');
    expect(first).toBeDefined();
    const status = readStatusFile(sb);
    expect(status?.lastError).toMatch(/stopped working \(its \/healthz has not answered for more than 10 s\)/);
    expect(status?.locked).toBe(false);
    expect(status?.restarts).toBeGreaterThanOrEqual(1);
    expect(sb.api.deleteBuilds).toBe(0);
  }, 60_000);

  it('that reaches its lifetime cap idle retires and is replaced, not evicted', async () => {
    const sb = await sandboxes.started({ scenarios: 'idle' }, ['--max-locked-min', '0.1']);
    await waitFor('a second runner', () => starts(sb) >= 2, 30_000);
    const first = standInEvents(sb).find((e) => e.event === 'start');
    expect(first?.argv).toContain('--retire-at');
    expect(standInEvents(sb).some((e) => e.event === 'retire')).toBe(true);
    await waitFor('running again', () => readStatusFile(sb)?.state === 'running');
    expect(readStatusFile(sb)?.locked).toBe(false);
    expect(sb.api.deleteBuilds).toBe(0);
  }, 60_000);

  it('locked, whose retirement a session holds past the cap and its grace, is killed; one delete build', async () => {
    const sb = await sandboxes.started(
      {
        scenarios: 'session-then-drain',
        extraEnv: { STANDIN_RETIRE_HOLDS: '1', STANDIN_SESSION_SEC: '120', STANDIN_SESSION_AFTER_MS: '100' },
      },
      ['--max-locked-min', '0.1'],
    );
    await waitFor('locked', () => readStatusFile(sb)?.locked === true);
    // The cap is 6 s, the grace as long again: killed at about 12 s, then evicted.
    await waitFor('evicted', () => readStatusFile(sb)?.state === 'evicted', 40_000);
    const status = readStatusFile(sb);
    expect(standInEvents(sb).some((e) => e.event === 'retire')).toBe(true);
    expect(status?.lastError).toMatch(/outlived its lifetime cap \(max_locked_minutes = 0\.1\)/);
    expect(starts(sb)).toBe(1);
    expect(sb.api.deleteBuilds).toBe(1);
    expect(readItem(sb, '6_last_error')).toMatch(/lifetime cap/);
  }, 60_000);
});
