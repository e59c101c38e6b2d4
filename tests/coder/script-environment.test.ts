import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CoderApi } from '../helpers/coder-server.js';
import {
  cleanUp,
  coder,
  diagnostics,
  runnerWorkspace,
  sleep,
  standInEvents,
  type RunnerWorkspace,
} from '../helpers/coder-workspace.js';

/*
 * What the real agent gives the module's scripts: the test template's coder_script
 * "Environment probe" writes the names of the CODER_* variables it sees, and the values of the
 * ones that name the workspace, next to the workspace's HOME.
 */

const { info, admin } = coder();
const created: string[] = [];
afterAll(() => cleanUp(created));

let ws: RunnerWorkspace;
async function workspace(): Promise<RunnerWorkspace> {
  if (!ws) {
    ws = await runnerWorkspace('env', { scenarios: 'idle' });
    created.push(ws.workspace.id);
  }
  return ws;
}

async function probe(dir: string): Promise<{ names: string[]; values: Record<string, string> }> {
  const file = path.join(dir, 'script-env.txt');
  for (let i = 0; i < 100 && !fs.existsSync(file); i += 1) await sleep(100);
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  return {
    names: lines.filter((l) => l.startsWith('name ')).map((l) => l.slice(5)),
    values: Object.fromEntries(
      lines.filter((l) => !l.startsWith('name ')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    ),
  };
}

describe('the environment of coder_script scripts run by the real agent', () => {
  it('has CODER_WORKSPACE_NAME, CODER_WORKSPACE_OWNER_NAME, CODER_WORKSPACE_ID, and a CODER_AGENT_URL that ends with /', async () => {
    const { dir, workspace: w } = await workspace();
    const seen = await probe(dir);
    expect(seen.values.CODER_WORKSPACE_NAME).toBe(w.name);
    expect(seen.values.CODER_WORKSPACE_OWNER_NAME).toBe(info.member.username);
    expect(seen.values.CODER_AGENT_URL).toBe(`${info.url}/`);
    // The agent sets CODER_WORKSPACE_ID itself (v2.36.0); the module's coder_env sets it too.
    expect(seen.names).toEqual(
      expect.arrayContaining(['CODER_WORKSPACE_ID', 'CODER_SELF_TOKEN', 'CODER_AGENT_TOKEN', 'CODER_SCRIPT_DATA_DIR']),
    );
  });

  it("keeps the agent's own token (CODER_AGENT_TOKEN) out of the runner's environment", async () => {
    const { dir, build } = await workspace();
    for (let i = 0; i < 100 && !standInEvents(dir).some((e) => e.event === 'start'); i += 1) await sleep(100);
    const start = standInEvents(dir).find((e) => e.event === 'start');
    expect(start, diagnostics(dir)).toBeDefined();

    // What that token reaches: the agent API, including the owner's git SSH key.
    const state = await admin.ok<{
      resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[];
    }>('GET', `/api/v2/workspacebuilds/${build.id}/state`);
    const agentToken = state.resources.find((r) => r.type === 'coder_agent')?.instances[0]?.attributes.token;
    const sshKey = await new CoderApi(info.url, String(agentToken)).request<{ private_key?: string }>(
      'GET',
      '/api/v2/workspaceagents/me/gitsshkey',
    );
    const reach = `with it, GET /api/v2/workspaceagents/me/gitsshkey answers ${sshKey.status}${
      sshKey.body.private_key ? " with the owner's private key" : ''
    }`;
    expect(start?.envKeys, `the runner (and so every session) inherits CODER_AGENT_TOKEN; ${reach}`).not.toContain(
      'CODER_AGENT_TOKEN',
    );
  });
});
