import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoderApi, createWorkspace, mintToken, type ApiAnswer, type Workspace } from '../helpers/coder-server.js';
import { repoRoot } from '../helpers/sandbox.js';
import { checkSelfEvictToken } from '../../supervisor/src/eviction/token-check.js';
import { nodeHttpClient } from '../../supervisor/src/coder-api/http.js';
import { cleanUp, coder } from '../helpers/coder-workspace.js';

/*
 * The self-evict token, measured on the pinned real server with a plain member as the
 * workspace owner: which scopes and allow-list entries a token needs to read and delete its own
 * workspace, for a template with dynamic parameters (Coder's default) and one with the classic
 * parameter flow, and that none of them reaches a second workspace of the same owner.
 * docs/self-evict-token.md documents these rows; a documented scope that the server refuses
 * (token creation is not 201) fails here.
 */

const { info, admin } = coder();
const measured: Record<string, unknown> = {};
const created: string[] = [];

/** Workspaces of one template: a failed delete leaves the current one for the next row. */
class Pool {
  private current: Workspace | undefined;
  private n = 0;
  constructor(
    private readonly templateId: string,
    private readonly prefix: string,
  ) {}
  async take(): Promise<Workspace> {
    if (!this.current) {
      this.n += 1;
      const { workspace } = await createWorkspace(
        new CoderApi(info.url, info.member.token),
        this.templateId,
        `${this.prefix}-${this.n}`,
      );
      created.push(workspace.id);
      this.current = workspace;
    }
    return this.current;
  }
  consumed(): void {
    this.current = undefined;
  }
}

const brief = (a: ApiAnswer) => ({ status: a.status, body: a.body });

interface Row {
  name: string;
  kind: 'dynamic' | 'classic';
  scopes: string[];
  allowList: (ids: { workspace: string; template: string; owner: string }) => string[];
  documented?: boolean;
  expect: { get: number; delete: number; deleteMessage?: RegExp; getMessage?: RegExp };
}

const rows: Row[] = [
  {
    name: 'documented, dynamic parameters',
    kind: 'dynamic',
    documented: true,
    scopes: ['workspace:read', 'workspace:delete', 'template:read', 'user:read'],
    allowList: (id) => [`workspace:${id.workspace}`, 'template:*', `user:${id.owner}`],
    expect: { get: 200, delete: 201 },
  },
  {
    name: 'documented, classic parameters',
    kind: 'classic',
    documented: true,
    scopes: ['workspace:read', 'workspace:delete', 'template:read'],
    allowList: (id) => [`workspace:${id.workspace}`, 'template:*'],
    expect: { get: 200, delete: 201 },
  },
  {
    name: 'dynamic, no template entry in the allow list',
    kind: 'dynamic',
    scopes: ['workspace:read', 'workspace:delete', 'template:read', 'user:read'],
    allowList: (id) => [`workspace:${id.workspace}`, `user:${id.owner}`],
    expect: { get: 403, delete: 500, deleteMessage: /rbac: forbidden/ },
  },
  {
    name: 'classic, no template entry in the allow list',
    kind: 'classic',
    scopes: ['workspace:read', 'workspace:delete', 'template:read'],
    allowList: (id) => [`workspace:${id.workspace}`],
    expect: { get: 403, delete: 500, deleteMessage: /rbac: forbidden/ },
  },
  {
    name: 'dynamic, without user:read on the owner',
    kind: 'dynamic',
    scopes: ['workspace:read', 'workspace:delete', 'template:read'],
    allowList: (id) => [`workspace:${id.workspace}`, 'template:*'],
    expect: { get: 200, delete: 400, deleteMessage: /owner/ },
  },
  {
    name: 'the token documented before (user:read_personal, allow list of the workspace only)',
    kind: 'dynamic',
    scopes: ['workspace:read', 'workspace:delete', 'template:read', 'user:read_personal'],
    allowList: (id) => [`workspace:${id.workspace}`],
    expect: { get: 403, delete: 500, deleteMessage: /rbac: forbidden/ },
  },
  {
    name: 'dynamic, template:<id> instead of template:*',
    kind: 'dynamic',
    scopes: ['workspace:read', 'workspace:delete', 'template:read', 'user:read'],
    allowList: (id) => [`workspace:${id.workspace}`, `template:${id.template}`, `user:${id.owner}`],
    expect: { get: 500, delete: 201 },
  },
  {
    name: 'classic, template:<id> instead of template:*',
    kind: 'classic',
    scopes: ['workspace:read', 'workspace:delete', 'template:read'],
    allowList: (id) => [`workspace:${id.workspace}`, `template:${id.template}`],
    expect: { get: 500, delete: 201 },
  },
];

let pools: Record<'dynamic' | 'classic', Pool>;
let other: Workspace;

beforeAll(async () => {
  pools = {
    dynamic: new Pool(info.templates.plainDynamic, 'dyn'),
    classic: new Pool(info.templates.plainClassic, 'cls'),
  };
  // A second workspace of the same owner, which no token may read or delete.
  other = (await createWorkspace(new CoderApi(info.url, info.member.token), info.templates.plainDynamic, 'other'))
    .workspace;
  created.push(other.id);
});

afterAll(async () => {
  fs.mkdirSync(path.join(repoRoot, '.cache'), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, '.cache', 'coder-token-matrix.json'), `${JSON.stringify(measured, null, 2)}\n`);
  await cleanUp(created);
});

describe('the self-evict token on a real Coder server (owner: a plain member)', () => {
  let n = 0;
  for (const row of rows) {
    it(`${row.name}: GET ${row.expect.get}, delete ${row.expect.delete}, nothing of a second workspace`, async () => {
      const workspace = await pools[row.kind].take();
      const ids = { workspace: workspace.id, template: workspace.template_id, owner: workspace.owner_id };
      n += 1;
      const minted = await mintToken(admin, info.member.id, `matrix-${n}`, {
        scopes: row.scopes,
        allow_list: row.allowList(ids),
      });
      // A documented scope or entry that the pinned server refuses fails here.
      expect(minted.status, minted.text).toBe(201);
      const token = new CoderApi(info.url, minted.body.key as string);

      const own = await token.request('GET', `/api/v2/workspaces/${workspace.id}`);
      const otherGet = await token.request('GET', `/api/v2/workspaces/${other.id}`);
      const otherDelete = await token.request('POST', `/api/v2/workspaces/${other.id}/builds`, {
        transition: 'delete',
      });
      // What a check at boot could ask before it needs the token (none of these change anything).
      const template = await token.request('GET', `/api/v2/templates/${workspace.template_id}`);
      const owner = await token.request('GET', `/api/v2/users/${workspace.owner_id}`);
      const authcheck = await token.request<Record<string, boolean>>('POST', '/api/v2/authcheck', {
        checks: {
          delete: {
            object: {
              resource_type: 'workspace',
              resource_id: workspace.id,
              owner_id: workspace.owner_id,
              organization_id: workspace.organization_id,
            },
            action: 'delete',
          },
        },
      });
      // The supervisor's own check at boot, against the real server, before the delete.
      const bootCheck = await checkSelfEvictToken(
        {
          agentUrl: `${info.url}/`,
          workspaceId: workspace.id,
          token: minted.body.key as string,
          requestTimeoutMs: 15_000,
        },
        nodeHttpClient,
      );
      const del = await token.request('POST', `/api/v2/workspaces/${workspace.id}/builds`, { transition: 'delete' });
      const record: Record<string, unknown> = {
        kind: row.kind,
        scopes: row.scopes,
        allow_list: row.allowList({ workspace: '<id>', template: '<template id>', owner: '<owner id>' }),
        get_own: brief(own),
        delete_own: { status: del.status, body: del.status === 201 ? '(a build)' : del.body },
        get_other: brief(otherGet),
        delete_other: brief(otherDelete),
        get_template: { status: template.status, body: template.status === 200 ? '(the template)' : template.body },
        get_owner: { status: owner.status, body: owner.status === 200 ? '(the owner)' : owner.body },
        authcheck_delete_own: brief(authcheck),
        supervisor_token_check: bootCheck,
      };
      if (del.status === 201) {
        pools[row.kind].consumed();
        // An immediate second delete while the first runs.
        const again = await token.request('POST', `/api/v2/workspaces/${workspace.id}/builds`, {
          transition: 'delete',
        });
        record.delete_own_again = brief(again);
      }
      measured[row.name] = record;

      expect(own.status, own.text).toBe(row.expect.get);
      expect(del.status, del.text).toBe(row.expect.delete);
      if (row.expect.deleteMessage) expect(del.text).toMatch(row.expect.deleteMessage);
      expect(otherGet.status, otherGet.text).toBe(404);
      expect(otherDelete.status, otherDelete.text).toBe(404);
      if (row.documented) expect(record.delete_own_again).toMatchObject({ status: 409 });
      // The check passes exactly the tokens that can both read and delete the own workspace.
      const works = row.expect.get === 200 && row.expect.delete === 201;
      expect(bootCheck.verdict, JSON.stringify(bootCheck)).toBe(works ? 'ok' : 'refused');
    });
  }

  it('the example template and the docs mint exactly the documented dynamic-parameter row', () => {
    const example = fs.readFileSync(path.join(repoRoot, 'examples', 'prebuilt-runner-pool', 'main.tf'), 'utf8');
    const scopes = /self_evict_scopes\s*=\s*(\[[^\]]*\])/.exec(example)?.[1];
    expect(JSON.parse(scopes ?? 'null')).toEqual(rows[0]?.scopes);
    expect(example).toMatch(
      /self_evict_allow_list\s*=\s*\["workspace:\$\{data\.coder_workspace\.me\.id\}", "template:\*", "user:\$\{data\.coder_workspace_owner\.me\.id\}"\]/,
    );
    const docs = fs.readFileSync(path.join(repoRoot, 'docs', 'self-evict-token.md'), 'utf8');
    for (const row of rows.filter((r) => r.documented)) expect(docs).toContain(JSON.stringify(row.scopes));
  });

  it('the authorization check (POST /api/v2/authcheck) answers for the documented token', async () => {
    const workspace = await pools.dynamic.take();
    const checks = (ws: Workspace) => ({
      object: {
        resource_type: 'workspace',
        resource_id: ws.id,
        owner_id: ws.owner_id,
        organization_id: ws.organization_id,
      },
    });
    const body = {
      checks: {
        own_delete: { ...checks(workspace), action: 'delete' },
        own_read: { ...checks(workspace), action: 'read' },
        own_delete_without_org: {
          object: { resource_type: 'workspace', resource_id: workspace.id, owner_id: workspace.owner_id },
          action: 'delete',
        },
        other_delete: { ...checks(other), action: 'delete' },
        other_read: { ...checks(other), action: 'read' },
      },
    };
    const answers: Record<string, unknown> = {};
    const tokens = {
      documented: {
        scopes: ['workspace:read', 'workspace:delete', 'template:read', 'user:read'],
        allow_list: [`workspace:${workspace.id}`, 'template:*', `user:${workspace.owner_id}`],
      },
      without_template_entry: {
        scopes: ['workspace:read', 'workspace:delete', 'template:read', 'user:read'],
        allow_list: [`workspace:${workspace.id}`, `user:${workspace.owner_id}`],
      },
      read_only: {
        scopes: ['workspace:read', 'template:read', 'user:read'],
        allow_list: [`workspace:${workspace.id}`, 'template:*', `user:${workspace.owner_id}`],
      },
    };
    for (const [name, request] of Object.entries(tokens)) {
      const minted = await mintToken(admin, info.member.id, `authcheck-${name}`, request);
      expect(minted.status, minted.text).toBe(201);
      const token = new CoderApi(info.url, minted.body.key as string);
      const answer = await token.request('POST', '/api/v2/authcheck', body);
      answers[name] = brief(answer);
    }
    measured.authcheck = answers;
    // The documented token: true for its own workspace, false for the other one.
    const truthful = {
      own_delete: true,
      own_read: true,
      own_delete_without_org: true,
      other_delete: false,
      other_read: false,
    };
    expect(answers.documented).toEqual({ status: 200, body: truthful });
    // Without a template entry the same answers, although that token's delete gets a 500 and its
    // GET a 403: the check evaluates the workspace object alone, not what the endpoints also
    // read (the template, the owner). It cannot prove that a token will manage to self-evict.
    expect(answers.without_template_entry).toEqual({ status: 200, body: truthful });
    // A token without workspace:delete gets a truthful no.
    expect(answers.read_only).toMatchObject({ status: 200, body: { own_delete: false, own_read: true } });
  });
});
