import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listBuilds, postBuild, waitForBuild, waitForGone, type Workspace } from '../helpers/coder-server.js';
import { cleanUp, coder, deleteBuilds, diagnostics, runnerWorkspace, sleep } from '../helpers/coder-workspace.js';

/*
 * A delete build that the server accepted (201) but that failed: the test template's
 * terraform_data.disk refuses to be destroyed while <workspace dir>/fail-destroy exists, as a
 * real template's volume or cloud resource can fail to go. The agent (the "machine") is gone by
 * then, and the workspace's latest build is {transition: delete, job: failed}. When the
 * workspace is started again, the locked workspace must post a new delete.
 */

const { admin, member } = coder();
const created: string[] = [];
afterAll(() => cleanUp(created));

describe('a failed delete build on a real Coder server', () => {
  it('leaves the workspace with a failed delete; started again, the locked workspace posts a new delete', async () => {
    const ws = await runnerWorkspace('faildel', { scenarios: 'session-then-drain' }, (dir) =>
      fs.writeFileSync(path.join(dir, 'fail-destroy'), 'the delete build of this workspace fails\n'),
    );
    created.push(ws.workspace.id);

    // The supervisor's delete is accepted, then the build fails on the server.
    let latest: Workspace['latest_build'] | undefined;
    for (let i = 0; i < 240; i += 1) {
      latest = (await admin.ok<Workspace>('GET', `/api/v2/workspaces/${ws.workspace.id}`)).latest_build;
      if (latest.transition === 'delete' && ['succeeded', 'failed', 'canceled'].includes(latest.job.status)) break;
      await sleep(500);
    }
    expect(latest, diagnostics(ws.dir)).toMatchObject({ transition: 'delete', job: { status: 'failed' } });
    expect(deleteBuilds(await listBuilds(admin, ws.workspace.id))).toHaveLength(1);

    // The cause goes away; the workspace is started again (as a user or the reconciler would).
    fs.rmSync(path.join(ws.dir, 'fail-destroy'));
    const start = await postBuild(member, ws.workspace.id, 'start');
    expect(start.status, start.text).toBe(201);
    expect((await waitForBuild(member, start.body.id)).job.status).toBe('succeeded');

    await waitForGone(admin, ws.workspace.id, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${diagnostics(ws.dir)}`);
    });
    const deletes = deleteBuilds(await listBuilds(admin, ws.workspace.id));
    expect(deletes.map((b) => b.job.status).sort()).toEqual(['failed', 'succeeded']);
  });
});
