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
  type IsolatedSandbox,
} from '../helpers/isolation-sandbox.js';
import { freezeEventLoop, type FrozenLoop } from '../helpers/stall-loop.js';

/**
 * A stalled supervisor is always replaced (issue 28). A session left a detached process behind
 * and locked the workspace; then the supervisor's event loop stops returning (here its main
 * thread is frozen from outside, tests/helpers/stall-loop.ts; in the issue, a session's flood of
 * one-byte writes in the drop box did it). The stall watchdog kills every process of the runner
 * user, starts a fresh supervisor, hands it the secrets and SIGKILLs the stalled one at once, so
 * the fresh one then reports its lock to a dead parent: an unhandled EPIPE on its IPC channel
 * killed it in 5 runs of 8, leaving no supervisor and no delete. Ten workspaces stall at once
 * here, and each must end in exactly one delete build within the watchdog's bound plus a start
 * and an eviction.
 */
const runs = 10;
/** process/own-watchdog.ts's ownStallMs, then a fresh start (a few seconds) and the delete. */
const stallBoundMs = 30_000;
const startAndEvictionMs = 15_000;

const sandboxes: IsolatedSandbox[] = [];
const tracers: FrozenLoop[] = [];

beforeAll(async () => {
  // One at a time: each start creates its runner user (useradd locks /etc/passwd).
  for (let i = 0; i < runs; i++) {
    const sb = await makeIsolatedSandbox({ hostile: { HOSTILE_ACTIONS: 'spy', HOSTILE_STAY_MS: '300000' } });
    sandboxes.push(sb);
    const started = await sb.asWorkspaceUser(['start', ...sb.flags]);
    if (started.exitCode !== 0) throw new Error(`start ${i}: ${started.stderr}`);
  }
}, 240_000);

afterAll(async () => {
  for (const { tracer } of tracers) tracer.kill('SIGKILL');
  for (const sb of sandboxes) await sb.dispose();
}, 120_000);

function supervisorLog(sb: IsolatedSandbox): string {
  try {
    return fs.readFileSync(path.join(sb.stateDir, 'logs', 'supervisor.log'), 'utf8');
  } catch {
    return '';
  }
}

describe('a supervisor whose event loop stalls in a locked workspace', () => {
  it(`is replaced by a fresh one that self-evicts, once, ${runs} times of ${runs}`, async () => {
    const stalled: number[] = [];
    for (const sb of sandboxes) {
      const pid = await waitFor('the lock', () => {
        const status = readStatusFile(sb);
        return status?.locked && hostileFindings(sb).done ? status.supervisorPid : undefined;
      });
      stalled.push(pid);
    }
    const frozenAt = Date.now();
    for (const pid of stalled) tracers.push(await freezeEventLoop(pid));

    const outcomes = await Promise.all(
      sandboxes.map(async (sb) => {
        try {
          await waitFor(
            'self-eviction',
            () => ['evicted', 'eviction-failed'].includes(readStatusFileAsRoot(sb)?.state ?? ''),
            stallBoundMs + startAndEvictionMs + 15_000,
            200,
          );
          return { tookMs: Date.now() - frozenAt };
        } catch (error) {
          return { error: `${String(error)}; the supervisor's log ends:\n${supervisorLog(sb).slice(-2000)}` };
        }
      }),
    );
    expect(outcomes.filter((o) => 'error' in o)).toEqual([]);

    sandboxes.forEach((sb, i) => {
      const status = readStatusFileAsRoot(sb);
      expect(status?.state, `run ${i}`).toBe('evicted');
      expect(status?.locked, `run ${i}`).toBe(true);
      // A fresh supervisor did it; the stalled one is gone.
      expect(status?.supervisorPid, `run ${i}`).not.toBe(stalled[i]);
      expect(isLive(stalled[i]), `run ${i}`).toBe(false);
      expect(sb.api.deleteBuilds, `run ${i}`).toBe(1);
      expect(outcomes[i]?.tookMs, `run ${i}`).toBeLessThan(stallBoundMs + startAndEvictionMs);
      const log = supervisorLog(sb);
      expect(log, `run ${i}`).toMatch(/the event loop of the supervisor stalled/);
      expect(log, `run ${i}`).toMatch(/a fresh supervisor takes over/);
      expect(log, `run ${i}`).not.toMatch(/EPIPE|ERR_IPC/);
      expect(isLive(hostileFindings(sb).spyPid), `run ${i}`).toBe(false);
      expect(processesOfUid(sb.runnerUid() as number), `run ${i}`).toEqual([]);
    });
  }, 180_000);
});
