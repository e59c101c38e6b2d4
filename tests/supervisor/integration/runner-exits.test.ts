import { describe, expect, it } from 'vitest';
import { readItem, readStatusFile, standInEvents, waitFor, type Sandbox } from '../../helpers/sandbox.js';
import { sandboxPerTest } from '../../helpers/sandbox-per-test.js';

/** Exits told apart by the runner's own lines, as the stand-in runner prints them like the real one. */
const sandboxes = sandboxPerTest();

const started = sandboxes.started;

const runnerStarts = (sb: Sandbox): number => standInEvents(sb).filter((e) => e.event === 'start').length;

describe('runner exits classified from its own lines', () => {
  it('an outage of Anthropic is retried for as long as it lasts, never quarantined, and heals by itself', async () => {
    // Five failed registrations in a row (the crash-loop threshold here is 3), then Anthropic is back.
    const sb = await started({ scenarios: 'unreachable,unreachable,unreachable,unreachable,unreachable,idle' });
    await waitFor('the outage on the dashboard', () =>
      readItem(sb, '4_supervisor_state')?.startsWith('cannot reach Anthropic ([runner:fatal] RegisterRunner failed:'),
    );
    expect(readItem(sb, '6_last_error')).toMatch(/RegisterRunner failed: connect ECONNREFUSED/);
    await waitFor(
      'registration after the outage',
      () => readStatusFile(sb)?.runnerId !== undefined && runnerStarts(sb) === 6,
      60_000,
    );
    await waitFor('waiting for a session', () =>
      readItem(sb, '4_supervisor_state')?.startsWith('waiting for a session'),
    );
    const status = readStatusFile(sb);
    expect(status?.state).toBe('running');
    expect(sb.api.evictionRequests).toHaveLength(0);
  }, 90_000);

  it('an organization without self-hosted environments is quarantined at once with that reason', async () => {
    const sb = await started({ scenarios: 'not-enabled' });
    await waitFor('quarantine', () => readStatusFile(sb)?.state === 'quarantined');
    expect(runnerStarts(sb)).toBe(1);
    expect(readItem(sb, '4_supervisor_state')).toMatch(/^quarantined: self-hosted environments are not enabled/);
    expect(readItem(sb, '4_supervisor_state')).toMatch(/Allow self-hosted environments/);
    expect(readItem(sb, '6_last_error')).toMatch(/\[runner:fatal\] RegisterRunner refused because/);
  });

  it('an expired poll token is an ordinary restart, not a self-eviction', async () => {
    const sb = await started({ scenarios: 'token-expired,idle', extraEnv: { STANDIN_TOKEN_EXPIRED_AFTER_MS: '500' } });
    await waitFor('the second runner', () => runnerStarts(sb) === 2);
    await waitFor('waiting for a session', () =>
      readItem(sb, '4_supervisor_state')?.startsWith('waiting for a session'),
    );
    expect(readStatusFile(sb)?.lastError).toMatch(/poll auth failed — token expired or revoked/);
    expect(sb.api.evictionRequests).toHaveLength(0);
  });

  it('a refused secret is a crash loop whose dashboard item keeps the fix hint', async () => {
    const sb = await started({ scenarios: 'bad-secret' }, ['--quarantine-min', '0']);
    await waitFor('quarantine', () => readStatusFile(sb)?.state === 'quarantined');
    const item = readItem(sb, '4_supervisor_state') ?? '';
    expect(item.length).toBeLessThanOrEqual(160);
    expect(item).toMatch(/check pool_secret/);
    expect(readStatusFile(sb)?.lastError).toMatch(/RegisterRunner auth failed/);
  });

  it('a root workspace with bypassPermissions is caught before the runner starts, with the fix', async () => {
    const sb = await started({ scenarios: 'idle', extraEnv: { IS_SANDBOX: '' } });
    await waitFor('quarantine', () => readStatusFile(sb)?.state === 'quarantined');
    expect(runnerStarts(sb)).toBe(0);
    expect(readStatusFile(sb)?.reason).toMatch(/runner would run as root.*bypassPermissions.*non-root user/);
  });
});
