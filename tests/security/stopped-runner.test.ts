import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, readItem, standInEvents } from '../helpers/sandbox.js';
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
 * Attack: the session copies the environment secret (its runner can read it, so it can), starts
 * a runner of its own under setsid, and SIGSTOPs the supervised runner, which then neither exits
 * nor answers. A supervisor that acts only when its runner exits would keep the locked workspace,
 * and the rogue runner in it, alive for good.
 */
let sb: IsolatedSandbox;
let roguePort: number;

beforeAll(async () => {
  roguePort = await freePort();
  sb = await makeIsolatedSandbox({
    hostile: {
      HOSTILE_ACTIONS: 'spy,rogue,stop-runner',
      HOSTILE_ROGUE_PORT: String(roguePort),
      HOSTILE_STAY_MS: '120000',
    },
  });
}, 60_000);

afterAll(async () => {
  await sb.dispose();
});

describe('a session that stops its runner and starts its own', () => {
  it('is killed with the stopped runner and the rogue one; the locked workspace self-evicts once', async () => {
    const started = await sb.asWorkspaceUser(['start', ...sb.flags]);
    expect(started.exitCode, started.stderr).toBe(0);
    // The health interval of the tests is 1 s: a stopped runner is seen at the next poll.
    await waitForEviction(sb, 30_000);
    const found = hostileFindings(sb);
    // The attack itself worked: a rogue runner registered on its own port, and the real one stopped.
    expect(found.secretCopied).toBe(true);
    expect(found.rogueRegistered).toBe(true);
    expect(found.runnerStoppedAt).toBeDefined();
    const rogueStarts = standInEvents(sb).filter(
      (e) => e.event === 'start' && e.argv?.includes(String(roguePort)) === true,
    );
    expect(rogueStarts).toHaveLength(1);

    const status = readStatusFileAsRoot(sb);
    expect(status?.state).toBe('evicted');
    expect(status?.locked).toBe(true);
    expect(sb.api.deleteBuilds).toBe(1);
    expect(processesOfUid(sb.runnerUid() as number)).toEqual([]);
    expect(isLive(found.roguePid as number)).toBe(false);
    expect(isLive(found.spyPid as number)).toBe(false);
    expect(status?.lastError).toMatch(/stopped working \(the runner process \d+ is stopped \(state T\)\)/);
    expect(readItem(sb, '6_last_error')).toMatch(/stopped working/);
  }, 60_000);
});
