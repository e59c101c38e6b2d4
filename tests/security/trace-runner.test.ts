import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
 * Attack (issue 28): on a host where one user may trace its own processes (no Yama, as in many
 * container images, and this machine), a session that ran as its runner's user froze the runner
 * with ptrace, took a copy of its health listener (pidfd_getfd, which needs the same right) and
 * answered /healthz itself, and wrote through the runner's stdout into the supervisor's runner.log
 * (300 MiB, and a forged fatal line). All of it needs ptrace of the runner, or a write to its logs:
 * as the session user it gets neither, while it can still trace a child of its own (the control
 * that shows the host allows ptrace, so this test can fail), nor read /proc/<runner>/environ.
 */
let sb: IsolatedSandbox;

beforeAll(async () => {
  sb = await makeIsolatedSandbox({ hostile: { HOSTILE_ACTIONS: 'spy,trace,write-logs', HOSTILE_STAY_MS: '1000' } });
}, 60_000);

afterAll(async () => {
  await sb.dispose();
});

describe('a session that traces its runner and writes to the logs', () => {
  it('can trace its own child but not its runner, reads nothing of it, writes no log; one delete, nothing left', async () => {
    const logs = ['runner.log', 'supervisor.log'].map((name) => path.join(sb.stateDir, 'logs', name));
    const started = await sb.asWorkspaceUser(['start', ...sb.flags], { HOSTILE_LOGS: logs.join(':') });
    expect(started.exitCode, started.stderr).toBe(0);
    await waitForEviction(sb, 30_000);
    const found = hostileFindings(sb);
    expect(found.done).toBe(true);
    expect(found.uid).toBe(sb.sessionUid());
    // The host allows ptrace within one user: the session traced its own child.
    expect(found.traceOwn).toBe('ok');
    expect(found.traceRunner).toBe('Operation not permitted');
    expect(found.runnerEnviron).toBe('EACCES');
    // Both logs of the supervisor (the runner's stdout goes to runner.log): neither written.
    expect(found.logWrites?.map((w) => w.target)).toEqual(logs);
    for (const write of found.logWrites ?? []) expect(write.result, write.target).toMatch(/^(EACCES|EPERM)$/);
    for (const log of logs) expect(fs.readFileSync(log, 'utf8')).not.toMatch(/^\[runner:fatal\]/m);

    const status = readStatusFileAsRoot(sb);
    expect(status?.state).toBe('evicted');
    expect(status?.locked).toBe(true);
    expect(status?.lastError ?? '').not.toMatch(/not enabled/);
    expect(runnerStarts(sb)).toBe(1);
    expect(sb.api.deleteBuilds).toBe(1);
    expect(isLive(found.spyPid)).toBe(false);
    expect(processesOfUid(sb.runnerUid() as number)).toEqual([]);
    expect(processesOfUid(sb.sessionUid() as number)).toEqual([]);
    // Status says what this host still allows: ptrace within one user (no Yama here).
    expect(JSON.stringify(status)).toMatch(/; host: same-user ptrace \(no Yama\), docker off\)"/);
  }, 60_000);
});
