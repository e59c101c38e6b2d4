import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secrets } from '../helpers/sandbox.js';
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
 * Attack: a session reads /proc/<pid>/environ of every process and every file it can reach,
 * looking for the supervisor's secrets and the runner's environment secret (issue 28: a session
 * that holds it can register runners of its own and receive other users' sessions).
 */
let sb: IsolatedSandbox;

beforeAll(async () => {
  sb = await makeIsolatedSandbox({
    hostile: {
      HOSTILE_ACTIONS: 'spy,environ,files',
      HOSTILE_STAY_MS: '500',
    },
  });
}, 60_000);

afterAll(async () => {
  await sb.dispose();
});

describe('a session reading environments and files', () => {
  it('runs as the session user and finds no secret: not the supervisor’s, not the runner’s environment secret', async () => {
    // Everything of the workspace (the sandbox holds the workspace user's home), the shared dir,
    // every home; not the rest of /tmp, where the test harness keeps its own copies of the values.
    const started = await sb.asWorkspaceUser(['start', ...sb.flags], {
      HOSTILE_READ_ROOTS: `${sb.dir}:/var/lib/claude-self-hosted-runner:/home`,
    });
    expect(started.exitCode, started.stderr).toBe(0);
    expect(started.stdout).toMatch(/supervisor started/);
    await waitForEviction(sb);

    const found = hostileFindings(sb);
    expect(found.done).toBe(true);
    const status = readStatusFileAsRoot(sb);
    // It could read no environment of the supervisor's.
    expect(found.environ.map((e) => e.pid)).not.toContain(status?.supervisorPid);
    for (const { pid, text } of found.environ) {
      expect(text.includes(secrets.token), `token in /proc/${pid}/environ`).toBe(false);
      expect(text.includes(secrets.pool), `pool secret in /proc/${pid}/environ`).toBe(false);
    }
    expect(found.files.length).toBeGreaterThan(0);
    // Sessions run as a user of their own (issue 28): the runner's secret file and /proc are out of reach.
    expect(found.uid).toBe(sb.sessionUid());
    expect(found.uid).not.toBe(sb.runnerUid());
    expect(found.environ.map((e) => e.pid)).not.toContain(status?.programPid);
    for (const { path: file, text } of found.files) {
      expect(text.includes(secrets.token), `token in ${file}`).toBe(false);
      expect(text.includes(secrets.pool), `pool secret in ${file}`).toBe(false);
    }
    // Nothing of the supervisor's state was readable.
    expect(found.files.some((f) => f.path.startsWith(sb.stateDir))).toBe(false);

    // The lock held: one runner, one delete build, nothing of the runner user left.
    expect(status?.locked).toBe(true);
    expect(runnerStarts(sb)).toBe(1);
    expect(sb.api.deleteBuilds).toBe(1);
    expect(processesOfUid(sb.runnerUid() as number)).toEqual([]);
    expect(processesOfUid(sb.sessionUid() as number)).toEqual([]);
    expect(found.spyPid).toBeDefined();
    const statusOut = await sb.asWorkspaceUser(['status']);
    expect(statusOut.stdout).toMatch(
      /"isolation": "isolation: on \(csr-r-\w+, sessions as csr-r-\w+-session, via sudo; host: [^"]*, docker off\)"/,
    );
  }, 90_000);
});
