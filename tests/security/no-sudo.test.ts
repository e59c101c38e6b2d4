import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readItem, readStatusFile, waitFor } from '../helpers/sandbox.js';
import { makeIsolatedSandbox, type IsolatedSandbox } from '../helpers/isolation-sandbox.js';

/** A workspace user without root or sudo: the runner runs as it, and the dashboard says so. */
let sb: IsolatedSandbox;

beforeAll(async () => {
  sb = await makeIsolatedSandbox({ sudo: false, scenarios: 'idle' });
}, 60_000);

afterAll(async () => {
  await sb.dispose();
});

describe('without root or sudo', () => {
  it('runs as today and says "isolation: off (no sudo)" in status and on the dashboard', async () => {
    const started = await sb.asWorkspaceUser(['start', ...sb.flags]);
    expect(started.exitCode, started.stderr).toBe(0);
    await waitFor('runner up', () => readStatusFile(sb)?.state === 'running');
    const status = await sb.asWorkspaceUser(['status']);
    expect(status.stdout).toContain('"isolation": "isolation: off (no sudo)"');
    await waitFor('dashboard', () => readItem(sb, '4_supervisor_state')?.includes('(isolation: off (no sudo))'));
    expect(sb.runnerUid()).toBeUndefined();
    const stop = await sb.asWorkspaceUser(['stop', '--drain-timeout-sec', '100']);
    expect(stop.exitCode, stop.stderr).toBe(0);
  }, 90_000);
});
