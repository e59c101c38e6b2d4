import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listBuilds, recordTiming, waitForGone } from '../helpers/coder-server.js';
import {
  cleanUp,
  coder,
  deleteBuilds,
  diagnostics,
  runnerWorkspace,
  standInEvents,
  supervisorStatus,
} from '../helpers/coder-workspace.js';

/*
 * Self-eviction end to end on a real Coder server: the template (with the module vendored)
 * mints the self-evict token through the API with the restapi provider; the real agent, as a
 * non-root user, runs the module's rendered scripts; the stand-in runner serves one session and
 * drains; the supervisor deletes its own workspace.
 */

const { info, admin } = coder();
const created: string[] = [];
afterAll(() => cleanUp(created));

describe('self-eviction on a real Coder server', () => {
  // Three workspaces one after another: the same proof each time, and three timings.
  it.each([1, 2, 3])(
    'a runner that served a session and drained deletes its own workspace: GET 410, exactly one delete build (%i)',
    async () => {
      const ws = await runnerWorkspace('evict', { scenarios: 'session-then-drain' });
      created.push(ws.workspace.id);

      const goneAt = await waitForGone(admin, ws.workspace.id, 120_000).catch((error: Error) => {
        throw new Error(`${error.message}\n${diagnostics(ws.dir)}`);
      });

      // The runner really served a session and exited cleanly, and only then did the workspace go.
      const events = standInEvents(ws.dir);
      expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['session-start', 'session-end', 'drain']));
      const exit = events.find((e) => e.event === 'exit');
      expect(exit?.code).toBe(0);
      recordTiming('runner-exit-to-410', goneAt - (exit?.at ?? goneAt), { workspace: ws.workspace.name });

      const builds = await listBuilds(admin, ws.workspace.id);
      expect(builds.map((b) => `${b.transition}:${b.job.status}`).sort()).toEqual([
        'delete:succeeded',
        'start:succeeded',
      ]);
      expect(deleteBuilds(builds)).toHaveLength(1);
      // The delete was the workspace owner's own token (minted for the member), not the admin.
      expect(deleteBuilds(builds)[0]?.initiator_name).toBe(info.member.username);

      const deleted = await admin.request<{ latest_build: { transition: string; job: { status: string } } }>(
        'GET',
        `/api/v2/workspaces/${ws.workspace.id}?include_deleted=true`,
      );
      expect(deleted.status).toBe(200);
      expect(deleted.body.latest_build).toMatchObject({ transition: 'delete', job: { status: 'succeeded' } });

      const status = supervisorStatus(ws.dir);
      expect(status?.locked).toBe(true);
      expect(status?.eviction).toMatchObject({ outcome: 'succeeded' });
      // The supervisor's log names the delete and no secret.
      const log = fs.readFileSync(
        path.join(ws.dir, 'home', '.local', 'state', 'claude-self-hosted-runner', 'logs', 'supervisor.log'),
        'utf8',
      );
      expect(log).not.toContain('pool-secret-of-the-coder-tests');
    },
  );
});
