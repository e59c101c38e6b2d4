import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  hostileFindings,
  isLive,
  makeIsolatedSandbox,
  processesOfUid,
  readStatusFileAsRoot,
  runnerStarts,
  waitForEviction,
  type IsolatedSandbox,
} from '../helpers/isolation-sandbox.js';

/**
 * Attack: the session replaces the records in the drop box (the lock record and the sessions
 * record) with FIFOs, leaves a detached process behind and kills its runner. A blocking read of
 * either path would stop the supervisor's event loop for good: no eviction, the slot held forever,
 * `stop` killing the supervisor after its whole budget. When sessions ran as the runner user they
 * could (the wrapper's records were theirs, the box 01733); under a session user of their own
 * (issue 28) the box is the runner user's group's only (01730) and the runner another user's, so
 * the attack fails at each step, and the workspace still ends as it must. The supervisor's reads
 * of the box never block either way (shared/untrusted-file.ts, with FIFOs in its unit test).
 */
let sb: IsolatedSandbox | undefined;

afterEach(async () => {
  await sb?.dispose();
  sb = undefined;
});

function fifoTargets(s: IsolatedSandbox): string {
  const records = `/var/lib/claude-self-hosted-runner/${s.runnerUser}/records`;
  return [`${records}/locked`, `${records}/sessions`].join(':');
}

const supervisorLog = (s: IsolatedSandbox): string =>
  fs.readFileSync(path.join(s.stateDir, 'logs', 'supervisor.log'), 'utf8');

describe('a session that plants FIFOs over its records', () => {
  it('and kills its runner: cannot; the spy is killed and the workspace self-evicts once', async () => {
    sb = await makeIsolatedSandbox({
      hostile: { HOSTILE_ACTIONS: 'spy,fifo,kill-runner', HOSTILE_KILL_RUNNER_AFTER_MS: '2500' },
    });
    const started = await sb.asWorkspaceUser(['start', ...sb.flags], { HOSTILE_FIFO: fifoTargets(sb) });
    expect(started.exitCode, started.stderr).toBe(0);
    await waitForEviction(sb, 30_000);
    const found = hostileFindings(sb);
    expect(found.done).toBe(true);
    // The attack failed: no FIFO in the box, no signal to the runner.
    expect(found.fifos).toHaveLength(2);
    for (const fifo of found.fifos) expect(fifo.result).toMatch(/Permission denied/);
    expect(found.runnerKilledAt).toBeUndefined();
    expect(found.killRunnerError).toBe('EPERM');
    const status = readStatusFileAsRoot(sb);
    expect(status?.state).toBe('evicted');
    expect(status?.locked).toBe(true);
    expect(runnerStarts(sb)).toBe(1);
    expect(sb.api.deleteBuilds).toBe(1);
    expect(processesOfUid(sb.runnerUid() as number)).toEqual([]);
    expect(processesOfUid(sb.sessionUid() as number)).toEqual([]);
    expect(isLive(found.spyPid as number)).toBe(false);
    expect(supervisorLog(sb)).not.toMatch(/a FIFO/);
  }, 60_000);

  it('and stays: `stop` drains within its budget and leaves nothing of either user', async () => {
    sb = await makeIsolatedSandbox({ hostile: { HOSTILE_ACTIONS: 'spy,fifo', HOSTILE_STAY_MS: '120000' } });
    const started = await sb.asWorkspaceUser(['start', ...sb.flags], { HOSTILE_FIFO: fifoTargets(sb) });
    expect(started.exitCode, started.stderr).toBe(0);
    const s = sb;
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 20_000;
      const timer = setInterval(() => {
        if (hostileFindings(s).done && readStatusFileAsRoot(s)?.locked) {
          clearInterval(timer);
          resolve();
        } else if (Date.now() > deadline) {
          clearInterval(timer);
          reject(new Error('the hostile session never finished its attack'));
        }
      }, 100);
    });
    // Two health polls with the FIFOs in place.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const before = Date.now();
    const stop = await sb.asWorkspaceUser(['stop', '--drain-timeout-sec', '100']);
    const tookMs = Date.now() - before;
    expect(stop.exitCode, stop.stderr).toBe(0);
    expect(stop.stdout).toMatch(/supervisor stopped/);
    // The whole budget is the drain timeout plus the time to persist the state (15 s).
    expect(tookMs).toBeLessThan(115_000);
    expect(readStatusFileAsRoot(sb)?.state).toBe('stopped');
    expect(processesOfUid(sb.runnerUid() as number)).toEqual([]);
    expect(processesOfUid(sb.sessionUid() as number)).toEqual([]);
    expect(hostileFindings(sb).fifos.map((f) => f.result)).not.toContain('ok');
    expect(isLive(hostileFindings(sb).spyPid as number)).toBe(false);
    // A stop never self-evicts; the locked workspace evicts at its next start.
    expect(sb.api.deleteBuilds).toBe(0);
  }, 150_000);
});
