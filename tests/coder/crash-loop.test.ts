import { afterAll, describe, expect, it } from 'vitest';
import { listBuilds, waitForGone } from '../helpers/coder-server.js';
import {
  cleanUp,
  coder,
  deleteBuilds,
  diagnostics,
  runnerWorkspace,
  sleep,
  standInEvents,
  supervisorStatus,
} from '../helpers/coder-workspace.js';

/*
 * A runner that crashes at every start: after crash_loop_threshold (3) quick crashes the
 * supervisor stops restarting it and quarantines the workspace (no eviction, so a bad secret
 * cannot churn the pool), then after quarantine_minutes it evicts, so a broken host does not
 * hold a pool slot forever. quarantine_minutes takes fractions: a quarter of a minute here.
 */

const { admin } = coder();
const created: string[] = [];
afterAll(() => cleanUp(created));

describe('a crash-looping workspace on a real Coder server', () => {
  it('is quarantined without an eviction, then evicts itself after the quarantine', async () => {
    const started = Date.now();
    const ws = await runnerWorkspace('crash', { scenarios: 'crash', quarantine_minutes: 0.25 });
    created.push(ws.workspace.id);

    let status = supervisorStatus(ws.dir);
    for (let i = 0; i < 150 && status?.state !== 'quarantined'; i += 1) {
      await sleep(200);
      status = supervisorStatus(ws.dir);
    }
    expect(status?.state, diagnostics(ws.dir)).toBe('quarantined');
    expect(standInEvents(ws.dir).filter((e) => e.event === 'start')).toHaveLength(3);
    expect(deleteBuilds(await listBuilds(admin, ws.workspace.id))).toHaveLength(0);
    // Still there while quarantined.
    await sleep(5_000);
    expect((await admin.request('GET', `/api/v2/workspaces/${ws.workspace.id}`)).status).toBe(200);
    expect(standInEvents(ws.dir).filter((e) => e.event === 'start')).toHaveLength(3);

    const goneAt = await waitForGone(admin, ws.workspace.id, 150_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${diagnostics(ws.dir)}`);
    });
    expect(goneAt - started).toBeGreaterThan(15_000);
    expect(deleteBuilds(await listBuilds(admin, ws.workspace.id))).toHaveLength(1);
  });
});
