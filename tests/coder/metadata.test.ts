import { afterAll, describe, expect, it } from 'vitest';
import { waitForGone, watchMetadata } from '../helpers/coder-server.js';
import { cleanUp, coder, diagnostics, runnerWorkspace } from '../helpers/coder-workspace.js';

/*
 * The dashboard items reach the server: the real agent runs the module's metadata scripts and
 * reports them; a client of the API (as the dashboard is) sees the lock and the runner.
 */

const { admin } = coder();
const created: string[] = [];
afterAll(() => cleanUp(created));

describe('the dashboard on a real Coder server', () => {
  it('shows the lock, the session and the runner through the API, then the workspace evicts itself', async () => {
    // The stand-in stays locked for 45 s after its session before it drains: longer than the
    // runner ID item's interval (30 s), whose first run may come before the supervisor wrote it.
    const ws = await runnerWorkspace('meta', { scenarios: 'session-then-drain', drain_after_ms: 45_000 });
    created.push(ws.workspace.id);

    const seen = await watchMetadata(
      admin,
      ws.agent.id,
      (items) => items['0_lock_status'] === 'locked' && /^ccrunner_/.test(items['2_runner_id'] ?? ''),
      70_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${diagnostics(ws.dir)}`);
    });
    expect(seen['0_lock_status']).toBe('locked');
    expect(seen['2_runner_id']).toMatch(/^ccrunner_/);
    expect(Object.keys(seen).sort()).toEqual([
      '0_lock_status',
      '1_active_sessions',
      '2_runner_id',
      '3_last_poll',
      '4_supervisor_state',
      '5_restarts',
      '6_last_error',
    ]);
    await waitForGone(admin, ws.workspace.id, 120_000);
  });
});
