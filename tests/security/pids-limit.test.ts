import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStatusFile, waitFor } from '../helpers/sandbox.js';
import {
  hostileFindings,
  isLive,
  makeIsolatedSandbox,
  processesOfUid,
  readStatusFileAsRoot,
  waitForEviction,
  type IsolatedSandbox,
} from '../helpers/isolation-sandbox.js';

/**
 * Attack (issue 28): where the workspace has a pids limit, a session fills it (a shell that forks
 * sleepers for ever), so the supervisor could not start the process that kills the users'
 * processes (`found 148, left 148`): they outlived it. Here the supervisor, its runner and the
 * session share a pids cgroup (v1) whose limit is set just above what they use once the session
 * runs; then the runner dies under the session. The kill needs no new process (a root shell kept
 * ready at start reads the pids, workspace/kept-killer.ts): nothing of either user is left, and
 * the delete goes out once.
 */
const cgroup = `/sys/fs/cgroup/pids/csr-pids-${process.pid}`;
let sb: IsolatedSandbox;

beforeAll(async () => {
  fs.mkdirSync(cgroup);
  sb = await makeIsolatedSandbox({
    scenarios: 'session-then-crash,idle',
    hostile: { HOSTILE_ACTIONS: 'fill-pids', HOSTILE_STAY_MS: '300000' },
  });
  sb.env.STANDIN_CRASH_AFTER_MS = '8000';
}, 60_000);

afterAll(async () => {
  await sb.dispose();
  for (const pid of fs.readFileSync(path.join(cgroup, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone
    }
  }
  await waitFor('an empty cgroup', () => fs.readFileSync(path.join(cgroup, 'cgroup.procs'), 'utf8').trim() === '');
  fs.rmdirSync(cgroup);
}, 60_000);

describe('a session that fills the pids limit, then its runner dies', () => {
  it('cannot keep a process alive: every process of both users killed without a new one, one delete', async () => {
    const started = await sb.asWorkspaceUser(['start', ...sb.flags], {}, { cgroup });
    expect(started.exitCode, started.stderr).toBe(0);
    await waitFor('the session’s filler', () => hostileFindings(sb).fillerPid);
    // The limit: a little above what is there now, so the filler takes the rest at once.
    const current = Number(fs.readFileSync(path.join(cgroup, 'pids.current'), 'utf8'));
    fs.writeFileSync(path.join(cgroup, 'pids.max'), String(current + 20));
    await waitFor(
      'the limit reached',
      () => Number(fs.readFileSync(path.join(cgroup, 'pids.events'), 'utf8').split(' ')[1]) > 0,
      10_000,
    );
    expect(readStatusFile(sb)?.state).toBe('running');

    await waitForEviction(sb, 40_000);
    const status = readStatusFileAsRoot(sb);
    expect(status?.state).toBe('evicted');
    expect(status?.locked).toBe(true);
    expect(sb.api.deleteBuilds).toBe(1);
    expect(isLive(hostileFindings(sb).fillerPid)).toBe(false);
    expect(processesOfUid(sb.sessionUid() as number)).toEqual([]);
    expect(processesOfUid(sb.runnerUid() as number)).toEqual([]);
    const log = fs.readFileSync(path.join(sb.stateDir, 'logs', 'supervisor.log'), 'utf8');
    // Killed by the kept killer: no round had to start a process (which the full limit may refuse).
    expect(log).toMatch(/"found":[1-9]\d*,"left":0,"spawned":0/);
    expect(log).not.toMatch(/"spawned":[1-9]/);
  }, 90_000);
});
