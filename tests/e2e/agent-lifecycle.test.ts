import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { applyModule, type Rendered } from '../helpers/render-module.js';
import {
  makeSandbox,
  readStatusFile,
  secrets,
  standInEvents,
  waitFor,
  workspaceId,
  type Sandbox,
  type SandboxOptions,
} from '../helpers/sandbox.js';

/*
 * End to end: Terraform applies a root config that uses the module (real coder provider); the
 * rendered coder_script and metadata scripts are taken from the state and run the way the Coder
 * agent runs them (`sh -c`, the agent's environment, the coder_env values), as a non-root user
 * with its own HOME, against the stand-in runner and the Coder API double.
 */
const agentUid = 65534; // nobody: a user with no rights over anything but its sandbox

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.cleanup();
  sandbox = undefined;
});

/** A sandbox handed over to the agent's user, with the module applied and its scripts rendered. */
async function agentWorkspace(options: SandboxOptions): Promise<{ sb: Sandbox; rendered: Rendered }> {
  sandbox = await makeSandbox(options);
  const rendered = await applyModule(sandbox);
  if (process.getuid?.() === 0) await execa('chown', ['-R', `${agentUid}:${agentUid}`, sandbox.dir]);
  return { sb: sandbox, rendered };
}

let scriptRuns = 0;
/** Runs a script as the agent does: `sh -c`, its environment, as the (non-root) workspace user. */
function asAgent(sb: Sandbox, rendered: Rendered, script: string, pathValue = process.env.PATH ?? '') {
  scriptRuns += 1;
  const env = {
    ...sb.env,
    ...rendered.env,
    PATH: pathValue,
    HOME: sb.home,
    CODER_AGENT_URL: sb.api.url, // the agent's URL ends with a slash
    CODER_SCRIPT_DATA_DIR: path.join(sb.dir, 'script-data', String(scriptRuns)),
  };
  const asUser =
    process.getuid?.() === 0
      ? ['/usr/bin/setpriv', [`--reuid=${agentUid}`, `--regid=${agentUid}`, '--clear-groups', '/bin/sh', '-c', script]]
      : ['/bin/sh', ['-c', script]];
  return execa(asUser[0] as string, asUser[1] as string[], { env, extendEnv: false, reject: false, stdin: 'ignore' });
}

async function dashboard(sb: Sandbox, rendered: Rendered): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const item of rendered.metadata) values[item.key] = (await asAgent(sb, rendered, item.script)).stdout;
  return values;
}

async function waitForDashboard(sb: Sandbox, rendered: Rendered, what: string, wanted: Record<string, string>) {
  const deadline = Date.now() + 20_000;
  let last: Record<string, string> = {};
  while (Date.now() < deadline) {
    last = await dashboard(sb, rendered);
    if (Object.entries(wanted).every(([key, value]) => last[key] === value)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}; dashboard: ${JSON.stringify(last)}`);
}

const runnerStarts = (sb: Sandbox): number => standInEvents(sb).filter((e) => e.event === 'start').length;

describe('the module end to end, as the Coder agent runs it, as a non-root user', () => {
  it('shows ? before anything ran, then walks start, idle, session, drain, one delete build, stop and restart', async () => {
    const { sb, rendered } = await agentWorkspace({
      scenarios: 'session-then-drain',
      extraEnv: { STANDIN_SESSION_AFTER_MS: '2500', STANDIN_SESSION_SEC: '3' },
    });
    expect(rendered.env).toMatchObject({ CLAUDE_CAPACITY: '4', CODER_WORKSPACE_ID: workspaceId });
    expect(Object.values(await dashboard(sb, rendered))).toEqual(['?', '?', '?', '?', '?', '?', '?']);

    const start = await asAgent(sb, rendered, rendered.launcher);
    expect(start.exitCode, start.stderr).toBe(0);
    expect(start.stdout).toMatch(/supervisor started/);
    const supervisorPid = await waitFor('status', () => readStatusFile(sb)?.supervisorPid);
    expect(fs.statSync(`/proc/${supervisorPid}`).uid).toBe(process.getuid?.() === 0 ? agentUid : process.getuid?.());

    await waitForDashboard(sb, rendered, 'idle', { '0_lock_status': 'unlocked', '1_active_sessions': '0 / 4' });
    const busy = await waitForDashboard(sb, rendered, 'a session', {
      '0_lock_status': 'locked',
      '1_active_sessions': '1 / 4',
    });
    expect(busy['2_runner_id']).toMatch(/^ccrunner_/);
    expect(busy['3_last_poll']).toMatch(/^ok \(\d+ms ago\)$/);

    await waitFor('eviction', () => readStatusFile(sb)?.state === 'evicted');
    const posts = sb.api.evictionRequests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.token).toBe(secrets.token);
    expect(posts[0]?.path).toBe(`/api/v2/workspaces/${workspaceId}/builds`);
    expect((await dashboard(sb, rendered))['4_supervisor_state']).toMatch(/^evicted: delete build queued/);

    const stop = await asAgent(sb, rendered, rendered.stopper);
    expect(stop.exitCode, stop.stderr).toBe(0);

    // The workspace starts again before Coder deleted it: no runner and no second delete build.
    const again = await asAgent(sb, rendered, rendered.launcher);
    expect(again.exitCode, again.stderr).toBe(0);
    await waitForDashboard(sb, rendered, 'already evicted', {
      '4_supervisor_state': `evicted: the delete build of workspace ${workspaceId} is under way or done (confirmed with Coder); waiting for Coder to delete it`,
    });
    expect(runnerStarts(sb)).toBe(1);
    expect(sb.api.evictionRequests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('a locked workspace stopped mid-session does not self-evict, then self-evicts at its next start without a runner', async () => {
    const { sb, rendered } = await agentWorkspace({
      scenarios: 'session-then-drain',
      extraEnv: { STANDIN_SESSION_AFTER_MS: '300', STANDIN_SESSION_SEC: '30' },
    });
    expect((await asAgent(sb, rendered, rendered.launcher)).exitCode).toBe(0);
    await waitForDashboard(sb, rendered, 'a session', { '0_lock_status': 'locked', '1_active_sessions': '1 / 4' });

    const stop = await asAgent(sb, rendered, rendered.stopper);
    expect(stop.exitCode, stop.stderr).toBe(0);
    expect(stop.stdout).toMatch(/supervisor stopped/);
    expect(readStatusFile(sb)?.state).toBe('stopped');
    expect(sb.api.evictionRequests).toHaveLength(0);
    expect(standInEvents(sb).some((e) => e.event === 'drain')).toBe(true);

    const restart = await asAgent(sb, rendered, rendered.launcher);
    expect(restart.exitCode, restart.stderr).toBe(0);
    await waitFor('eviction', () => readStatusFile(sb)?.state === 'evicted');
    expect(runnerStarts(sb)).toBe(1);
    expect(sb.api.deleteBuilds).toBe(1);
  });

  it('without Node on PATH, the launcher says what to do and fails', async () => {
    const { sb, rendered } = await agentWorkspace({});
    const result = await asAgent(sb, rendered, rendered.launcher, '/usr/local/sbin-nothing-here');
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('Node.js not found');
    expect(result.stderr).toContain("module's node_binary_path");
  });
});
