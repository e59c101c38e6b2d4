import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CoderApi, type WorkspaceBuild } from '../helpers/coder-server.js';
import { repoRoot } from '../helpers/sandbox.js';
import { cleanUp, coder, runnerWorkspace } from '../helpers/coder-workspace.js';

/*
 * The token that the template minted through the restapi provider (taken from the build's
 * Terraform state, where the provisioner keeps it) reads its own workspace and nothing of a
 * second workspace of the same owner: not a read, not a delete.
 */

const { info, admin } = coder();
const created: string[] = [];
afterAll(() => cleanUp(created));

interface TfState {
  resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[];
}

/** The token the template minted, and its name, from the build's Terraform state. */
async function mintedToken(build: WorkspaceBuild): Promise<{ key: string; name: string }> {
  const state = await admin.ok<TfState>('GET', `/api/v2/workspacebuilds/${build.id}/state`);
  const object = state.resources.find((r) => r.type === 'restapi_object')?.instances[0]?.attributes;
  if (typeof object?.create_response !== 'string') throw new Error('no restapi_object in the build state');
  return { key: (JSON.parse(object.create_response) as { key: string }).key, name: String(object.object_id) };
}

describe('the minted self-evict token on a real Coder server', () => {
  it('is the documented token, reads its own workspace, and gets 404 for a second workspace of the same owner', async () => {
    const first = await runnerWorkspace('iso-a');
    created.push(first.workspace.id);
    const second = await runnerWorkspace('iso-b');
    created.push(second.workspace.id);

    // What the server stored for the token the template minted.
    const minted = await mintedToken(first.build);
    expect(minted.name).toMatch(new RegExp(`^self-evict-${first.workspace.id}-[0-9a-f]{8}$`));
    const stored = await admin.ok<{ scopes: string[]; allow_list: string[] }>(
      'GET',
      `/api/v2/users/${info.member.id}/keys/tokens/${minted.name}`,
    );
    expect([...stored.scopes].sort()).toEqual(['template:read', 'user:read', 'workspace:delete', 'workspace:read']);
    expect([...stored.allow_list].sort()).toEqual(
      [`template:*`, `user:${info.member.id}`, `workspace:${first.workspace.id}`].sort(),
    );

    const token = new CoderApi(info.url, minted.key);
    expect((await token.request('GET', `/api/v2/workspaces/${first.workspace.id}`)).status).toBe(200);
    const read = await token.request('GET', `/api/v2/workspaces/${second.workspace.id}`);
    expect(read.status, read.text).toBe(404);
    const del = await token.request('POST', `/api/v2/workspaces/${second.workspace.id}/builds`, {
      transition: 'delete',
    });
    expect(del.status, del.text).toBe(404);
    const list = await token.request<{ workspaces: { id: string }[] }>('GET', '/api/v2/workspaces');
    if (list.status === 200) expect(list.body.workspaces.map((w) => w.id)).not.toContain(second.workspace.id);

    // What else a leaked copy reaches, measured.
    const ws = first.workspace;
    const reach: Record<string, { status: number; body: string }> = {};
    const probe = async (method: string, apiPath: string, body?: unknown) => {
      const answer = await token.request(method, apiPath, body);
      const what = body === undefined ? '' : ` ${JSON.stringify(body)}`;
      const names: [string, string][] = [
        [ws.id, '{own}'],
        [second.workspace.id, '{other}'],
        [first.build.id, '{own build}'],
        [info.member.id, '{owner}'],
        [info.admin.id, '{admin}'],
        [info.orgId, '{org}'],
        [ws.template_id, '{template}'],
        [info.templates.plainClassic, '{another template}'],
      ];
      const key = names.reduce((k, [id, name]) => k.replaceAll(id, name), `${method} ${apiPath}${what}`);
      reach[key] = { status: answer.status, body: answer.text.slice(0, 300) };
      return answer;
    };
    await probe('GET', '/api/v2/users/me');
    await probe('GET', `/api/v2/users/${info.admin.id}`);
    const users = await probe('GET', '/api/v2/users');
    await probe('GET', '/api/v2/users/me/keys/tokens');
    await probe('GET', '/api/v2/workspaces');
    await probe('GET', `/api/v2/workspacebuilds/${first.build.id}/state`);
    await probe('GET', `/api/v2/workspacebuilds/${first.build.id}/parameters`);
    await probe('GET', `/api/v2/workspaces/${ws.id}/builds`);
    await probe('GET', `/api/v2/organizations/${info.orgId}/templates`);
    await probe('GET', `/api/v2/templates/${info.templates.plainClassic}`);
    await probe('GET', `/api/v2/templates/${ws.template_id}/versions`);
    await probe('POST', `/api/v2/workspaces/${ws.id}/builds`, { transition: 'stop' });
    await probe('POST', `/api/v2/workspaces/${ws.id}/builds`, { transition: 'start' });
    await probe('PUT', `/api/v2/workspaces/${ws.id}/ttl`, { ttl_ms: 3600000 });
    await probe('POST', `/api/v2/users/${info.member.id}/keys/tokens`, {
      token_name: 'leaked',
      scopes: ['workspace:delete'],
    });
    await probe('POST', '/api/v2/users/me/workspaces', { template_id: ws.template_id, name: 'by-a-leaked-token' });
    fs.writeFileSync(path.join(repoRoot, '.cache', 'coder-leaked-token.json'), `${JSON.stringify(reach, null, 2)}\n`);
    const status = (key: string) => reach[key]?.status;
    // Its owner's profile, and no other user.
    expect(status('GET /api/v2/users/me')).toBe(200);
    expect(status('GET /api/v2/users/{admin}')).toBe(404);
    expect((users.body as { users: { id: string }[] }).users.map((u) => u.id)).toEqual([info.member.id]);
    // Not the build state (where the pool secret and the token itself are), no other build.
    expect(status('GET /api/v2/workspacebuilds/{own build}/state')).toBe(404);
    expect(status('POST /api/v2/workspaces/{own}/builds {"transition":"stop"}')).toBe(403);
    expect(status('POST /api/v2/workspaces/{own}/builds {"transition":"start"}')).toBe(403);
    expect(status('POST /api/v2/users/me/workspaces {"template_id":"{template}","name":"by-a-leaked-token"}')).toBe(
      403,
    );
    expect(
      status('POST /api/v2/users/{owner}/keys/tokens {"token_name":"leaked","scopes":["workspace:delete"]}'),
    ).not.toBe(201);
    // template:* reads every template's metadata and versions (it needs no list permission).
    expect(status('GET /api/v2/templates/{another template}')).toBe(200);
  });
});
