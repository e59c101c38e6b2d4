import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recipeText, type TokenRecipe } from '../../../supervisor/src/coder-api/token-recipes.js';
import { createWorkspace, listBuilds, waitForAgent, workspaceDir } from '../../helpers/coder-server.js';
import { cleanUp, coder, deleteBuilds, diagnostics, sleep, supervisorStatus } from '../../helpers/coder-workspace.js';
import { freePort } from '../../helpers/sandbox.js';
import { lineUnderTest, recommendedToken, runnerTemplateSetup, versionUnderTest } from './version-under-test.js';

/*
 * A runner workspace whose self-evict token can be minted on this release but cannot delete the
 * workspace: the supervisor refuses to serve, and its reason, on the dashboard's last-error item
 * as a user reads it, names the token that works on this release (the supervisor read the
 * release from /api/v2/buildinfo).
 */

const { info, admin, member } = coder();
const created: string[] = [];
afterAll(() => cleanUp(created));

/** A token that this release mints and that cannot delete a workspace of the runner template. */
function refusedToken(): { request: Record<string, unknown>; names: string } {
  const flow = runnerTemplateSetup().flow;
  if (!lineUnderTest.recipes.dynamic && !lineUnderTest.recipes.classic) {
    // No scoped tokens: the one legacy scope that is not `all`.
    return { request: { scope: 'application_connect' }, names: 'unscoped token' };
  }
  const withoutUser: TokenRecipe = {
    scopes: ['workspace:read', 'workspace:delete', 'template:read'],
    allowList: ['workspace:{workspace}', 'template:*'],
  };
  // Dynamic parameters: the token a user of this release would mint when user:read is refused;
  // classic: one without its template entry.
  const request =
    flow === 'dynamic'
      ? { scopes: withoutUser.scopes, allow_list: withoutUser.allowList }
      : { scopes: withoutUser.scopes, allow_list: ['workspace:{workspace}'] };
  const newest = lineUnderTest.from === 'v2.34.3';
  return {
    request,
    names: newest ? (flow === 'dynamic' ? 'user:read' : 'template:*') : recipeText(recommendedToken(flow)),
  };
}

describe(`a self-evict token that cannot delete, on Coder ${versionUnderTest.text}`, () => {
  it('quarantines the workspace without serving, and the last-error item names the token that works on this release', async () => {
    const { request, names } = refusedToken();
    const { workspace } = await createWorkspace(member, info.templates.runner, `advice-${process.pid % 10000}`, {
      health_port: await freePort(),
      self_evict_token_override: JSON.stringify(request),
    });
    created.push(workspace.id);
    await waitForAgent(member, workspace.id);
    const dir = workspaceDir(info, workspace.id);

    let status = supervisorStatus(dir);
    for (let i = 0; i < 300 && status?.state !== 'quarantined'; i += 1) {
      await sleep(200);
      status = supervisorStatus(dir);
    }
    expect(status?.state, diagnostics(dir)).toBe('quarantined');
    const item = fs
      .readFileSync(
        path.join(dir, 'home', '.local', 'state', 'claude-self-hosted-runner', 'items', '6_last_error'),
        'utf8',
      )
      .trim();
    expect(item, diagnostics(dir)).toContain(names);
    expect(item).toContain('cannot delete this workspace');
    if (lineUnderTest.from !== 'v2.34.3') expect(item).toContain(`Coder ${versionUnderTest.text}`);
    // It served no one and deleted nothing.
    expect(deleteBuilds(await listBuilds(admin, workspace.id))).toHaveLength(0);
  });
});
