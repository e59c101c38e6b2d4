// The on-demand mode end to end on real parts: the real Coder server, the real orchestrator (run
// by the supervisor, its spawn-runner hook the bundle's own) and, in each spawned workspace, the
// real runner run by the real agent through the module's scripts, against the Anthropic API double.
// Everything is inside the loopback-only namespace of scripts/test-coder.sh.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicDouble, type AnthropicDouble } from '../helpers/anthropic-double.js';
import { startCoderOrchestrator, type CoderOrchestrator } from '../helpers/coder-orchestrator.js';
import {
  postBuild,
  pushTemplateByApi,
  waitForAgent,
  waitForBuild,
  waitForGone,
  workspaceDir,
  type Workspace,
} from '../helpers/coder-server.js';
import { cleanUp, coder, diagnostics, supervisorStatus } from '../helpers/coder-workspace.js';
import { closedLoopbackUrl, currentLoopbackNamespace, repoRoot } from '../helpers/network-guard.js';
import { freePort, waitFor } from '../helpers/sandbox.js';
import { runSpawnHook, spawnConfigFor } from '../helpers/spawn-hook.js';

interface Listed {
  workspaces: Workspace[];
  count: number;
}

describe('on-demand: one Coder workspace per session', () => {
  const { info, admin, member } = coder();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csr-on-demand-'));
  let double: AnthropicDouble;
  let secret: string;
  let orchestrator: CoderOrchestrator | undefined;
  const seen = new Set<string>();

  /** The member's workspaces of the on-demand template that are not deleted. */
  async function runnerWorkspaces(): Promise<Workspace[]> {
    const answer = await member.ok<Listed>('GET', '/api/v2/workspaces?q=owner:member%20template:ondemand');
    for (const w of answer.workspaces) seen.add(w.id);
    return answer.workspaces.filter(
      (w) => !(w.latest_build.transition === 'delete' && w.latest_build.job.status === 'succeeded'),
    );
  }

  /** The URL of a Coder that is not running: a loopback port that nothing listens on. */
  const stoppedCoderUrl = async (): Promise<string> => `http://127.0.0.1:${await freePort()}/`;

  /** Runs the bundle's spawn-runner as the orchestrator would, for the member's ondemand template. */
  const runHook = (order: string, orderId: string, overrides: Parameters<typeof spawnConfigFor>[2] = {}) =>
    runSpawnHook({
      dir,
      config: spawnConfigFor(info.url, info.member.token, { template: 'ondemand', deadlineMs: 25_000, ...overrides }),
      order,
      orderId,
    });

  beforeAll(async () => {
    double = await startAnthropicDouble(currentLoopbackNamespace(dir), await freePort());
    fs.writeFileSync(info.anthropicUrlFile, `${double.url}\n`);
    secret = await double.environmentSecret();
  }, 60_000);
  afterAll(async () => {
    await orchestrator?.stop();
    await cleanUp([...seen]);
    await double?.stop();
    fs.writeFileSync(info.anthropicUrlFile, `${closedLoopbackUrl}\n`);
  }, 300_000);

  it('a spawn request becomes a workspace whose runner registers with the order, serves the session, drains and self-evicts; no environment secret ever enters it', async () => {
    orchestrator = await startCoderOrchestrator(info, secret, path.join(dir, 'orchestrator'));
    const o = orchestrator;
    await waitFor('the orchestrator to connect', () => o.item('0_connected') === 'connected', 60_000);
    const session = await double.createSession({ spawn: true });
    const workspace = await waitFor('the runner workspace', async () => (await runnerWorkspaces())[0], 60_000, 250);
    expect(workspace.name).toMatch(/^claude-run-[0-9a-f]{16}$/);
    await waitForAgent(member, workspace.id);
    const ws = workspaceDir(info, workspace.id);
    const runner = await double
      .waitFor(
        'the runner to register with the work order',
        (s) => s.runners.find((r) => r.credential === 'work-order' && r.boundSessionId === session.id),
        90_000,
      )
      .catch((error: Error) => {
        throw new Error(`${error.message}\n${diagnostics(ws)}`);
      });
    expect(runner.credential).toBe('work-order');
    await double.waitFor(
      'the session to be assigned',
      (s) => s.sessions.find((x) => x.id === session.id && x.state === 'assigned'),
      60_000,
    );
    // The supervisor sees the lock at its next look at the runner, a moment after the assignment.
    await waitFor('the supervisor to see the session', () => supervisorStatus(ws)?.locked === true, 30_000);
    expect(supervisorStatus(ws)).toMatchObject({ locked: true, orderUsed: true });

    // No environment secret in the runner workspace: not in its files, environments or argv.
    const inFiles = (await execa('grep', ['-rlF', '--', secret, ws], { reject: false })).stdout.trim();
    expect(inFiles).toBe('');
    for (const entry of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
      let environ = '';
      let cmdline = '';
      try {
        environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8');
        cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (!environ.includes(`CSR_CODER_WORKSPACE_DIR=${ws}`)) continue;
      expect(environ.includes(secret), `process ${entry} has the environment secret`).toBe(false);
      expect(cmdline.includes(secret)).toBe(false);
    }

    await double.closeSession(session.id);
    await waitForGone(member, workspace.id, 120_000);
    expect(await runnerWorkspaces()).toEqual([]);
    await waitFor('the dashboard to count it', () => o.item('2_spawn_hooks')?.startsWith('1 ok'), 30_000);
  }, 300_000);

  it('the same request twice gives one workspace (the second hook exits 0: it already exists)', async () => {
    const order = await double.mintOrder({ kind: 'session' });
    const first = await runHook(order.jwt, order.jti);
    const second = await runHook(order.jwt, order.jti);
    expect([first.exitCode, second.exitCode], `${first.stderr}\n${second.stderr}`).toEqual([0, 0]);
    expect(second.stderr).toMatch(/already exists for this order: nothing to do/);
    const mine = (await runnerWorkspaces()).filter((w) => first.stderr.includes(w.name));
    expect(mine).toHaveLength(1);
    if (order.sessionId) await double.closeSession(order.sessionId);
    await cleanUp(mine.map((w) => w.id));
  }, 240_000);

  it.each<[string, Record<string, unknown>, number, RegExp]>([
    [
      'a template that does not exist',
      { template: 'gone' },
      2,
      /^user-message: The on-demand runner pool's template or preset does not exist/m,
    ],
    [
      'a preset that does not exist',
      { preset: 'gone' },
      2,
      /^user-message: The on-demand runner pool's template or preset does not exist/m,
    ],
    [
      'a token that is refused',
      { token: 'nope-nope' },
      2,
      /^user-message: The on-demand runner pool cannot create workspaces: its Coder token was refused/m,
    ],
    [
      'a parameter the template does not have',
      { orderParameter: 'no_such_parameter' },
      2,
      /^user-message: The on-demand runner pool's template does not accept its workspace request/m,
    ],
    ['a stopped Coder', { coderUrl: 'closed port' }, 1, /could not be reached \(ECONNREFUSED\)/],
  ])(
    'the hook on %s %j exits %i, with what a user can act on (measured answers of the real server)',
    async (_what, overrides, exit, said) => {
      const order = await double.mintOrder({ kind: 'standby' });
      const url = overrides.coderUrl === 'closed port' ? { coderUrl: await stoppedCoderUrl() } : {};
      const before = new Set((await runnerWorkspaces()).map((w) => w.id));
      const result = await runHook(order.jwt, order.jti, { ...overrides, ...url });
      expect(result.exitCode, result.stderr).toBe(exit);
      expect(result.stderr).toMatch(said);
      expect(result.stderr).not.toContain(order.jwt);
      expect(result.stderr).not.toContain(info.member.token);
      expect((await runnerWorkspaces()).filter((w) => !before.has(w.id))).toEqual([]);
    },
    60_000,
  );

  it('a parameter that the template does not have is accepted by Coder and dropped (measured), so the hook and the boot check refuse it first', async () => {
    const name = `no-param-${process.pid % 10000}`;
    const created = await member.ok<Workspace>('POST', '/api/v2/users/me/workspaces', {
      template_id: info.templates.ondemand,
      name,
      rich_parameter_values: [{ name: 'no_such_parameter', value: 'x' }],
    });
    seen.add(created.id);
    await waitForBuild(member, created.latest_build.id);
    const kept = await member.ok<{ name: string }[]>(
      'GET',
      `/api/v2/workspacebuilds/${created.latest_build.id}/parameters`,
    );
    expect(kept.map((p) => p.name)).not.toContain('no_such_parameter');
    await cleanUp([created.id]);
    const refused = await startCoderOrchestrator(info, secret, path.join(dir, 'orchestrator-no-param'), {
      orderParameter: 'no_such_parameter',
    });
    try {
      await waitFor('quarantine', () => refused.status()?.state === 'quarantined', 60_000);
      expect(String(refused.status()?.reason)).toMatch(/no ephemeral, mutable string parameter "no_such_parameter"/);
    } finally {
      await refused.stop();
    }
  }, 180_000);

  it('a stopped Coder gives a retryable nack; a wrong template a refused one at boot', async () => {
    await orchestrator?.stop();
    orchestrator = undefined;
    const down = await startCoderOrchestrator(info, secret, path.join(dir, 'orchestrator-down'), {
      coderUrl: await stoppedCoderUrl(),
    });
    try {
      await waitFor(
        'it to connect anyway (the token check could not reach Coder)',
        () => down.item('0_connected') === 'connected',
        60_000,
      );
      const session = await double.createSession({ spawn: true });
      const nack = await double.waitFor('a nack', (s) => s.nacks.find((n) => n.session_uuid === session.uuid), 60_000);
      expect(nack.retryable).toBe(true);
      expect(nack.error).toMatch(/could not be reached/);
      await double.closeSession(session.id);
    } finally {
      await down.stop();
    }
    const wrong = await startCoderOrchestrator(info, secret, path.join(dir, 'orchestrator-wrong'), {
      template: 'gone',
    });
    try {
      await waitFor('quarantine', () => wrong.status()?.state === 'quarantined', 60_000);
      expect(String(wrong.status()?.reason)).toMatch(/^the Coder token cannot create runner workspaces/);
    } finally {
      await wrong.stop();
    }
  }, 240_000);

  it("a template deleted after the boot check gives a refused nack with the user's message, and no workspace", async () => {
    const doomed = await pushTemplateByApi(
      admin,
      info.orgId,
      'ondemand-doomed',
      path.join(repoRoot, 'tests', 'coder', 'doomed-template'),
    );
    const late = await startCoderOrchestrator(info, secret, path.join(dir, 'orchestrator-doomed'), {
      template: 'ondemand-doomed',
    });
    try {
      await waitFor('its boot check to pass', () => late.item('0_connected') === 'connected', 60_000);
      expect(late.status()?.state).not.toBe('quarantined');
      const deleted = await admin.request('DELETE', `/api/v2/templates/${doomed}`);
      expect(deleted.status).toBe(200);
      const before = new Set((await runnerWorkspaces()).map((w) => w.id));
      const session = await double.createSession({ spawn: true });
      const nack = await double.waitFor('a nack', (s) => s.nacks.find((n) => n.session_uuid === session.uuid), 60_000);
      expect(nack.retryable).toBe(false);
      expect(nack.user_message).toMatch(/^The on-demand runner pool's template or preset does not exist/);
      expect(JSON.stringify(nack)).not.toContain(info.member.token);
      expect((await runnerWorkspaces()).filter((w) => !before.has(w.id))).toEqual([]);
      await double.closeSession(session.id);
    } finally {
      await late.stop();
    }
  }, 180_000);

  it('a standby request creates a workspace whose runner serves the next queued session', async () => {
    const before = new Set((await runnerWorkspaces()).map((w) => w.id));
    const standby = await startCoderOrchestrator(info, secret, path.join(dir, 'orchestrator-standby'), { minIdle: 1 });
    try {
      const runner = await double.waitFor(
        'a standby runner',
        (s) => s.runners.find((r) => r.credential === 'work-order' && !r.boundSessionId && !r.deregistered),
        120_000,
      );
      await standby.stop();
      const session = await double.createSession({ spawn: false });
      await double.waitFor(
        'the session on the standby runner',
        (s) => s.sessions.find((x) => x.id === session.id && x.runnerId === runner.id),
        60_000,
      );
      const made = (await runnerWorkspaces()).filter((w) => !before.has(w.id));
      expect(made).toHaveLength(1);
      const [workspace] = made;
      if (!workspace) throw new Error('no standby workspace');
      await double.closeSession(session.id);
      await waitForGone(member, workspace.id, 120_000);
    } finally {
      await standby.stop();
    }
  }, 300_000);

  it('a claim as Coder plays it: a prebuild with no order waits, and the start build that brings the order starts the runner with it', async () => {
    // A first build with no order (a prebuild of the preset, as the open-source server builds one).
    const name = `prebuild-${process.pid % 10000}`;
    const created = await member.ok<Workspace>('POST', '/api/v2/users/me/workspaces', {
      template_id: info.templates.ondemand,
      name,
    });
    seen.add(created.id);
    await waitForBuild(member, created.latest_build.id);
    await waitForAgent(member, created.id);
    const ws = workspaceDir(info, created.id);
    await waitFor(
      'the prebuild to wait for its order',
      () => supervisorStatus(ws)?.state === 'waiting-for-order',
      60_000,
    );
    expect(
      fs.existsSync(path.join(ws, 'home', '.local', 'state', 'claude-self-hosted-runner', 'environment-secret')),
    ).toBe(false);
    // The claim: a start build with the order (here a stop and a start: the agent starts its scripts afresh).
    const order = await double.mintOrder({ kind: 'session' });
    const stop = await postBuild(member, created.id, 'stop');
    await waitForBuild(member, stop.body.id);
    const start = await member.ok<{ id: string }>('POST', `/api/v2/workspaces/${created.id}/builds`, {
      transition: 'start',
      rich_parameter_values: [{ name: 'work_order', value: order.jwt }],
    });
    await waitForBuild(member, start.id);
    await double
      .waitFor(
        'the runner to register with the order',
        (s) => s.orders.find((x) => x.jti === order.jti && x.registrations === 1),
        90_000,
      )
      .catch((error: Error) => {
        throw new Error(`${error.message}\n${diagnostics(ws)}`);
      });
    // Closed only once its runner holds it (a session closed before that never reaches the runner).
    await double.waitFor(
      'the session on the runner',
      (s) => s.sessions.find((x) => x.id === order.sessionId && x.state === 'assigned'),
      60_000,
    );
    if (order.sessionId) await double.closeSession(order.sessionId);
    await waitForGone(member, created.id, 120_000);
  }, 300_000);
});
