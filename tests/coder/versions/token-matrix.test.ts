import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHttpClient } from '../../../supervisor/src/coder-api/http.js';
import { checkSelfEvictToken } from '../../../supervisor/src/eviction/token-check.js';
import {
  coderVersionLines,
  recipeText,
  type ParameterFlow,
  type TokenRecipe,
} from '../../../supervisor/src/coder-api/token-recipes.js';
import { poolRunnerProfile } from '../../../supervisor/src/roles/runner/runner-profile.js';
import { CoderApi, createWorkspace, type ApiAnswer, type Workspace } from '../../helpers/coder-server.js';
import { cleanUp, coder } from '../../helpers/coder-workspace.js';
import { repoRoot } from '../../helpers/repo-root.js';
import { lineUnderTest, recommendedToken, tokenRequestOf, versionUnderTest } from './version-under-test.js';

/*
 * The self-evict token on the Coder release under test (the newest, or one of the older ones:
 * scripts/test-coder.sh), owner a plain member: which requests the server mints, and whether
 * the token reads and deletes its own workspace and nothing of a second one; the supervisor's
 * own check against the same server, and the advice it gives when it refuses. README's "Coder
 * versions" table and docs/self-evict-token.md's per-version matrix come from these rows
 * (.cache/coder-version-matrix-<version>.json).
 */

const { info, admin } = coder();
const created: string[] = [];
const measured: Record<string, unknown> = { version: versionUnderTest.text };

const userRead: TokenRecipe = {
  scopes: ['workspace:read', 'workspace:delete', 'template:read', 'user:read'],
  allowList: ['workspace:<workspace id>', 'template:*', 'user:<owner id>'],
};
const withoutUser: TokenRecipe = {
  scopes: ['workspace:read', 'workspace:delete', 'template:read'],
  allowList: ['workspace:<workspace id>', 'template:*'],
};
const coderAll: TokenRecipe = {
  scopes: ['coder:all'],
  allowList: ['workspace:<workspace id>', 'template:*', 'user:<owner id>'],
};
const unscoped: TokenRecipe = { scopes: [], allowList: [], legacyScope: 'all' };

interface Outcome {
  mint: number;
  get?: number;
  delete?: number;
  /** GET and delete of a second workspace of the same owner. */
  other?: [number, number];
}

interface Row {
  name: string;
  flow: ParameterFlow;
  recipe: TokenRecipe;
  /** Measured, per row of the supervisor's table (`from` of the release line). */
  expect: Record<string, Outcome>;
}

const works: Outcome = { mint: 201, get: 200, delete: 201, other: [404, 404] };
const worksEverywhere: Outcome = { mint: 201, get: 200, delete: 201, other: [200, 201] };

const rows: Row[] = [
  {
    name: "v2.36's dynamic-parameter token (user:read)",
    flow: 'dynamic',
    recipe: userRead,
    expect: { 'v2.0.0': worksEverywhere, 'v2.28.0': { mint: 400 }, 'v2.34.3': works },
  },
  {
    name: 'the classic-flow token',
    flow: 'classic',
    recipe: withoutUser,
    expect: { 'v2.0.0': worksEverywhere, 'v2.28.0': works, 'v2.34.3': works },
  },
  {
    name: 'dynamic parameters, without user:read',
    flow: 'dynamic',
    recipe: withoutUser,
    expect: {
      'v2.0.0': worksEverywhere,
      'v2.28.0': { mint: 201, get: 200, delete: 400, other: [404, 404] },
      'v2.34.3': { mint: 201, get: 200, delete: 400, other: [404, 404] },
    },
  },
  {
    name: 'dynamic parameters, coder:all with the allow list',
    flow: 'dynamic',
    recipe: coderAll,
    expect: { 'v2.0.0': worksEverywhere, 'v2.28.0': works, 'v2.34.3': works },
  },
  {
    name: "the owner's unscoped token (legacy scope all)",
    flow: 'dynamic',
    recipe: unscoped,
    expect: { 'v2.0.0': worksEverywhere, 'v2.28.0': worksEverywhere, 'v2.34.3': worksEverywhere },
  },
];

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

const brief = (a: ApiAnswer) => ({ status: a.status, body: a.text.slice(0, 300) });
let pools: Record<ParameterFlow, Pool>;
let others: Pool;
let n = 0;

async function mint(recipe: TokenRecipe, ws: Workspace): Promise<ApiAnswer<{ key?: string }>> {
  n += 1;
  return admin.request('POST', `/api/v2/users/${info.member.id}/keys/tokens`, {
    token_name: `version-matrix-${n}`,
    lifetime: 3600 * 1_000_000_000,
    ...tokenRequestOf(recipe, { workspace: ws.id, owner: ws.owner_id }),
  });
}

beforeAll(async () => {
  // The classic template's flow set as an admin does: v2.24.0 ignores it at creation.
  await admin.ok('PATCH', `/api/v2/templates/${info.templates.plainClassic}`, { use_classic_parameter_flow: true });
  pools = {
    dynamic: new Pool(info.templates.plainDynamic, 'vdyn'),
    classic: new Pool(info.templates.plainClassic, 'vcls'),
  };
  // Second workspaces of the same owner, which a scoped token may not reach (a new one whenever
  // an unscoped token deleted the last).
  others = new Pool(info.templates.plainDynamic, 'voth');
});

afterAll(async () => {
  fs.mkdirSync(path.join(repoRoot, '.cache'), { recursive: true });
  fs.writeFileSync(
    path.join(repoRoot, '.cache', `coder-version-matrix-${versionUnderTest.text}.json`),
    `${JSON.stringify(measured, null, 2)}\n`,
  );
  await cleanUp(created);
});

describe(`the self-evict token on Coder ${versionUnderTest.text} (table row from ${lineUnderTest.from})`, () => {
  it('the server says which release it is (GET /api/v2/buildinfo), as the supervisor reads it', async () => {
    const build = await admin.ok<{ version: string }>('GET', '/api/v2/buildinfo');
    expect(build.version).toMatch(new RegExp(`^${versionUnderTest.text.replace(/\./g, '\\.')}(\\+|$)`));
  });

  for (const row of rows) {
    const expected = row.expect[lineUnderTest.from];
    it(`${row.name} (${row.flow}): ${JSON.stringify(expected)}`, async () => {
      if (!expected) throw new Error(`no expectation for the row from ${lineUnderTest.from}`);
      const workspace = await pools[row.flow].take();
      const other = await others.take();
      const minted = await mint(row.recipe, workspace);
      const record: Record<string, unknown> = {
        flow: row.flow,
        request: recipeText(row.recipe),
        // Never the key itself.
        mint: minted.status === 201 ? { status: 201, body: '(a token)' } : brief(minted),
      };
      measured[row.name] = record;
      expect(minted.status, minted.text).toBe(expected.mint);
      if (minted.status !== 201) return;
      const key = minted.body.key as string;
      const token = new CoderApi(info.url, key);
      const bootCheck = await checkSelfEvictToken(
        { agentUrl: `${info.url}/`, workspaceId: workspace.id, token: key, requestTimeoutMs: 15_000 },
        nodeHttpClient,
      );
      const own = await token.request('GET', `/api/v2/workspaces/${workspace.id}`);
      const otherGet = await token.request('GET', `/api/v2/workspaces/${other.id}`);
      const otherDelete = await token.request('POST', `/api/v2/workspaces/${other.id}/builds`, {
        transition: 'delete',
      });
      if (otherDelete.status === 201) others.consumed();
      const del = await token.request('POST', `/api/v2/workspaces/${workspace.id}/builds`, { transition: 'delete' });
      if (del.status === 201) pools[row.flow].consumed();
      Object.assign(record, {
        get_own: own.status === 200 ? { status: 200, body: '(the workspace)' } : brief(own),
        delete_own: { status: del.status, body: del.status === 201 ? '(a build)' : del.text.slice(0, 300) },
        get_other: brief(otherGet),
        delete_other: { status: otherDelete.status },
        supervisor_token_check: bootCheck,
      });

      expect({
        mint: minted.status,
        get: own.status,
        delete: del.status,
        other: [otherGet.status, otherDelete.status],
      }).toEqual(expected);
      // The supervisor's check passes exactly the tokens that read and delete their workspace.
      const deletes = own.status === 200 && del.status === 201;
      expect(bootCheck.verdict, JSON.stringify(bootCheck)).toBe(deletes ? 'ok' : 'refused');
      if (bootCheck.verdict === 'refused') {
        // What the dashboard's last-error item shows, whole (it holds 200 characters).
        const reason = `${poolRunnerProfile.credentialRefused}: ${bootCheck.problem}`;
        expect(reason.length, reason).toBeLessThanOrEqual(200);
        const recommended = recommendedToken(row.flow);
        const named = recommended.legacyScope
          ? 'unscoped token'
          : lineUnderTest === coderVersionLines.at(-1)
            ? 'user:read'
            : recipeText(recommended);
        expect(bootCheck.problem).toContain(named);
      }
    });
  }

  it("the supervisor's table names, for each parameter flow, a token that deletes its workspace on this release", () => {
    for (const flow of ['dynamic', 'classic'] as const) {
      const recommended = recipeText(recommendedToken(flow));
      // An unscoped token is the same for either flow: the matrix has it once.
      const row = rows.find(
        (r) => (r.flow === flow || r.recipe.legacyScope !== undefined) && recipeText(r.recipe) === recommended,
      );
      expect(row, `${flow}: ${recommended} is a row of this matrix`).toBeDefined();
      expect(row?.expect[lineUnderTest.from]).toMatchObject({ mint: 201, get: 200, delete: 201 });
    }
  });
});
