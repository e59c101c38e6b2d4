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
 * looking for the supervisor's secrets.
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
  it('finds no secret of the supervisor; the pool secret only in the runner’s own secret file', async () => {
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
    for (const { path: file, text } of found.files) {
      expect(text.includes(secrets.token), `token in ${file}`).toBe(false);
      if (text.includes(secrets.pool)) expect(file).toMatch(/\/\.claude-self-hosted-runner\/environment-secret$/);
    }
    // Nothing of the supervisor's state was readable.
    expect(found.files.some((f) => f.path.startsWith(sb.stateDir))).toBe(false);

    // The lock held: one runner, one delete build, nothing of the runner user left.
    expect(status?.locked).toBe(true);
    expect(runnerStarts(sb)).toBe(1);
    expect(sb.api.deleteBuilds).toBe(1);
    expect(processesOfUid(sb.runnerUid() as number)).toEqual([]);
    const statusOut = await sb.asWorkspaceUser(['status']);
    expect(statusOut.stdout).toMatch(/"isolation": "isolation: on \(csr-r-\w+, via sudo\)"/);
  }, 90_000);
});
