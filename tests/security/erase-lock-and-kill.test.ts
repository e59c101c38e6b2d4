import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hostileFindings,
  makeIsolatedSandbox,
  processesOfUid,
  readStatusFileAsRoot,
  runnerStarts,
  waitForEviction,
  type IsolatedSandbox,
} from '../helpers/isolation-sandbox.js';

/**
 * Attack: the first session deletes the lock records and the supervisor's state, rewrites
 * status.json as unlocked, leaves a background process behind, then SIGKILLs every process it
 * can see (the runner, the supervisor), hoping for a restart that serves a second person.
 */
let sb: IsolatedSandbox;

beforeAll(async () => {
  sb = await makeIsolatedSandbox({
    scenarios: 'session-then-drain,session-then-drain',
    hostile: { HOSTILE_ACTIONS: 'spy,tamper,signal', HOSTILE_STAY_MS: '200' },
  });
}, 60_000);

afterAll(async () => {
  await sb.dispose();
});

describe('a session that erases the lock and kills everything', () => {
  it('cannot: the lock holds, one runner ever, one delete build, nothing of the runner user left', async () => {
    const runnerUser = sb.runnerUser;
    const records = `/var/lib/claude-self-hosted-runner/${runnerUser}/records`;
    const started = await sb.asWorkspaceUser(['start', ...sb.flags], {
      HOSTILE_TAMPER: [
        path.join(sb.stateDir, 'locked'),
        path.join(sb.stateDir, 'status.json'),
        sb.stateDir,
        `${records}/locked`,
        `${records}/sessions`,
        `/home/${runnerUser}/workspace/_sessions`,
      ].join(':'),
      HOSTILE_STATUS: path.join(sb.stateDir, 'status.json'),
    });
    expect(started.exitCode, started.stderr).toBe(0);
    await waitForEviction(sb);
    const found = hostileFindings(sb);
    expect(found.done).toBe(true);
    const status = readStatusFileAsRoot(sb);
    // The supervisor's state was out of reach; its own lock records were deleted (they are its own).
    for (const t of found.tamper.filter((t) => t.target.startsWith(sb.stateDir))) expect(t.result).toBe('EACCES');
    // It could not signal the supervisor; it did kill the runner.
    expect(found.signals.find((s) => s.pid === status?.supervisorPid)?.result).toBe('EPERM');
    expect(status?.state).toBe('evicted');
    expect(status?.locked).toBe(true);
    expect(runnerStarts(sb)).toBe(1);
    expect(sb.api.deleteBuilds).toBe(1);
    expect(processesOfUid(sb.runnerUid() as number)).toEqual([]);

    // The workspace starts again (agent restart): still locked, no runner, no second delete.
    const again = await sb.asWorkspaceUser(['start', ...sb.flags]);
    expect(again.exitCode, again.stderr).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(runnerStarts(sb)).toBe(1);
    expect(sb.api.deleteBuilds).toBe(1);
    expect(readStatusFileAsRoot(sb)?.locked).toBe(true);
  }, 120_000);
});
