// The module's whole path under isolation with the real runner (issue 28): the supervisor bundle
// as the workspace user (with sudo), the runner as the runner user it creates, each session as
// the session user through the real wrapper, entry and sudo rule; a real session locks, the
// runner drains when it closes, and the workspace deletes itself once with nothing of either user
// left (the pinned runner, the Anthropic and Coder API doubles, one loopback-only namespace).
import fs from 'node:fs';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionUserName, sudoersFile } from '../../supervisor/src/workspace/session-user.js';
import { startAnthropicDouble, type AnthropicDouble } from '../helpers/anthropic-double.js';
import { ensureUser, isLive, processesOfUid, uidOf, workspaceUser } from '../helpers/isolation-sandbox.js';
import { LoopbackNamespace } from '../helpers/real-runner.js';
import { claudeRecords } from '../helpers/real-session.js';
import { realWorkspace, type RealWorkspace } from '../helpers/real-workspace.js';
import { waitFor } from '../helpers/sandbox.js';

const runnerUser = `csr-rw-${Math.random().toString(36).slice(2, 8)}`;
const sessionUser = sessionUserName(runnerUser);

describe('a workspace with isolation on, whose real runner serves a real session', () => {
  let ns: LoopbackNamespace;
  let double: AnthropicDouble;
  let ws: RealWorkspace | undefined;
  beforeAll(async () => {
    await ensureUser(workspaceUser, true);
    ns = await LoopbackNamespace.create();
    double = await startAnthropicDouble(ns, 18701);
  }, 60_000);
  afterAll(async () => {
    await ws?.cleanup();
    await double?.stop();
    for (const name of [sessionUser, runnerUser]) {
      const uid = uidOf(name);
      if (uid !== undefined) for (const pid of processesOfUid(uid)) process.kill(pid, 'SIGKILL');
      await execa('userdel', ['-r', '-f', name], { reject: false });
      fs.rmSync(`/var/lib/claude-self-hosted-runner/.created-users/${name}`, { force: true });
    }
    fs.rmSync(sudoersFile(runnerUser), { force: true });
    fs.rmSync(`/var/lib/claude-self-hosted-runner/${runnerUser}`, { recursive: true, force: true });
    ns?.close();
  }, 60_000);

  it('serves the session as the session user, locks, and deletes itself once; nothing of either user left', async () => {
    ws = await realWorkspace(ns, double, { name: 'isolated', healthPort: 18710, runnerUser });
    const before = (await double.state()).runners.length;
    const start = await ws.command('start');
    expect(start.exitCode, start.stderr).toBe(0);
    const runner = await double.waitFor('the runner to register', (s) => s.runners[before], 30_000);
    const current = ws;
    await waitFor('the idle dashboard', () => current.item('2_runner_id') === runner.id, 30_000);
    expect(current.status()?.isolation).toMatch(
      new RegExp(`^isolation: on \\(${runnerUser}, sessions as ${sessionUser}, via sudo; host: `),
    );

    const session = await double.createSession();
    await waitFor('the lock', () => current.item('0_lock_status') === 'locked', 30_000);
    const child = await waitFor('the session child', () => claudeRecords(current.claudeRecord)[0], 15_000);
    expect(child).toMatchObject({ id: session.id, fd3: 'open', stdin: 'socket' });
    const owner = /^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
    expect(Number(owner)).toBe(uidOf(sessionUser));

    await double.closeSession(session.id);
    await waitFor('self-eviction', () => current.status()?.state === 'evicted', 60_000);
    await waitFor('the delete build', () => current.deletes() >= 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(current.deletes()).toBe(1);
    expect(current.status()?.locked).toBe(true);
    expect(isLive(child.pid)).toBe(false);
    expect(processesOfUid(uidOf(sessionUser) as number)).toEqual([]);
    expect(processesOfUid(uidOf(runnerUser) as number)).toEqual([]);
  }, 180_000);
});
