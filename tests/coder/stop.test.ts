import { afterAll, describe, expect, it } from 'vitest';
import { listBuilds, postBuild, waitForAgent, waitForBuild } from '../helpers/coder-server.js';
import {
  buildSucceeds,
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
 * A stop build (a user's stop, a template rollout, a prebuild's expiry): the agent runs the
 * module's stop script, which drains the runner with one SIGTERM; nothing deletes the
 * workspace; a later start brings a fresh runner up.
 */

const { member } = coder();
const created: string[] = [];
afterAll(() => cleanUp(created));

describe('a stop build on a real Coder server', () => {
  it('runs the stop script, drains the runner, deletes nothing; a start brings a runner back', async () => {
    const ws = await runnerWorkspace('stop', { scenarios: 'idle' });
    created.push(ws.workspace.id);
    for (let i = 0; i < 100 && !standInEvents(ws.dir).some((e) => e.event === 'listening'); i += 1) await sleep(200);
    expect(
      standInEvents(ws.dir).map((e) => e.event),
      diagnostics(ws.dir),
    ).toContain('listening');

    const stop = await postBuild(member, ws.workspace.id, 'stop');
    expect(stop.status, stop.text).toBe(201);
    const stopped = await waitForBuild(member, stop.body.id);
    expect(stopped.job.status, diagnostics(ws.dir)).toBe('succeeded');

    const events = standInEvents(ws.dir);
    expect(events).toEqual(expect.arrayContaining([expect.objectContaining({ event: 'signal', action: 'drain' })]));
    expect(events.find((e) => e.event === 'exit')?.code).toBe(0);
    // One SIGTERM only: a second would have force-exited the runner.
    expect(events.filter((e) => e.event === 'signal')).toHaveLength(1);
    const status = supervisorStatus(ws.dir);
    expect(status?.eviction, JSON.stringify(status)).toBeUndefined();
    expect(deleteBuilds(await listBuilds(member, ws.workspace.id))).toHaveLength(0);

    // Started again: unlocked, so a fresh runner comes up instead of an eviction.
    const start = await postBuild(member, ws.workspace.id, 'start');
    expect(start.status, start.text).toBe(201);
    await buildSucceeds(member, start.body.id);
    await waitForAgent(member, ws.workspace.id);
    for (let i = 0; i < 100 && standInEvents(ws.dir).filter((e) => e.event === 'listening').length < 2; i += 1)
      await sleep(200);
    expect(
      standInEvents(ws.dir).filter((e) => e.event === 'start'),
      diagnostics(ws.dir),
    ).toHaveLength(2);
    expect(deleteBuilds(await listBuilds(member, ws.workspace.id))).toHaveLength(0);
  });
});
