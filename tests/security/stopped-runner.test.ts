import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, standInEvents } from '../helpers/sandbox.js';
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
 * Attack: the session copies the environment secret, starts a runner of its own under setsid,
 * and SIGSTOPs the supervised runner, which then neither exits nor answers. When sessions ran as
 * their runner's user, all of it worked, and only the supervisor's watch of a stopped runner ended
 * it (issue 28 then found the next tricks of the same user: ptrace, a copied listener). Under a
 * session user of its own the session can neither read the secret file (the runner user's, 0400,
 * in its 0700 folder) nor signal the runner (another uid): no rogue runner, the runner never
 * stopped, and the locked workspace ends as any other, once.
 */
let sb: IsolatedSandbox;
let roguePort: number;

beforeAll(async () => {
  roguePort = await freePort();
  sb = await makeIsolatedSandbox({
    hostile: {
      HOSTILE_ACTIONS: 'spy,rogue,stop-runner',
      HOSTILE_ROGUE_PORT: String(roguePort),
      HOSTILE_STAY_MS: '1000',
    },
  });
}, 60_000);

afterAll(async () => {
  await sb.dispose();
});

describe('a session that tries to stop its runner and start its own', () => {
  it('can do neither; the locked workspace self-evicts once and nothing of either user is left', async () => {
    const started = await sb.asWorkspaceUser(['start', ...sb.flags]);
    expect(started.exitCode, started.stderr).toBe(0);
    await waitForEviction(sb, 30_000);
    const found = hostileFindings(sb);
    expect(found.done).toBe(true);
    expect(found.uid).toBe(sb.sessionUid());
    // The attack failed at each step.
    expect(found.secretCopied).toBe(false);
    expect(found.secretError).toBe('EACCES');
    expect(found.roguePid).toBeUndefined();
    expect(found.runnerStoppedAt).toBeUndefined();
    expect(found.stopRunnerError).toBe('EPERM');
    const rogueStarts = standInEvents(sb).filter(
      (e) => e.event === 'start' && e.argv?.includes(String(roguePort)) === true,
    );
    expect(rogueStarts).toHaveLength(0);

    const status = readStatusFileAsRoot(sb);
    expect(status?.state).toBe('evicted');
    expect(status?.locked).toBe(true);
    expect(sb.api.deleteBuilds).toBe(1);
    expect(processesOfUid(sb.runnerUid() as number)).toEqual([]);
    expect(processesOfUid(sb.sessionUid() as number)).toEqual([]);
    expect(isLive(found.spyPid as number)).toBe(false);
  }, 60_000);
});
