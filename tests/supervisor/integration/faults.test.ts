import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processStartTime } from '../../../supervisor/src/shared/process-info.js';
import { readItem, readStatusFile, runBundle, standInEvents, waitFor, type Sandbox } from '../../helpers/sandbox.js';
import { sandboxPerTest } from '../../helpers/sandbox-per-test.js';

const sandboxes = sandboxPerTest();

const started = sandboxes.started;

const runnerStarts = (sb: Sandbox): number => standInEvents(sb).filter((e) => e.event === 'start').length;
const posts = (sb: Sandbox): number => sb.api.evictionRequests.filter((r) => r.method === 'POST').length;
const state = (sb: Sandbox): string | undefined => readStatusFile(sb)?.state;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('runner crashes', () => {
  it('stops restarting a crash loop, does not self-evict, and shows the reason', async () => {
    const sb = await started({ scenarios: 'crash' }, ['--quarantine-min', '0']);
    await waitFor('crash loop', () => state(sb) === 'quarantined');
    expect(runnerStarts(sb)).toBe(3);
    await sleep(2500);
    expect(runnerStarts(sb)).toBe(3);
    expect(sb.api.evictionRequests).toHaveLength(0);
    expect(readItem(sb, '6_last_error')).toMatch(/crash loop: the runner failed 3 times in a row/);
    expect(readItem(sb, '4_supervisor_state')).toMatch(/^quarantined: crash loop/);
    expect(readItem(sb, '5_restarts')).toBe('2');
    const stop = await runBundle(sb, ['stop', '--state-dir', sb.stateDir, '--drain-timeout-sec', '100']);
    expect(stop.exitCode).toBe(0);
    expect(state(sb)).toBe('stopped');
  });

  it('self-evicts a crash loop once its quarantine is over', async () => {
    const sb = await started({ scenarios: 'bad-secret' }, ['--quarantine-min', '0.05']);
    await waitFor('quarantine', () => state(sb) === 'quarantined');
    await waitFor('eviction after quarantine', () => state(sb) === 'evicted');
    expect(sb.api.deleteBuilds).toBe(1);
    expect(runnerStarts(sb)).toBe(3);
  });

  it('restarts a runner that crashed once, then keeps it running', async () => {
    const sb = await started({ scenarios: 'crash,idle' });
    await waitFor('second runner up', () => state(sb) === 'running' && runnerStarts(sb) === 2);
    expect(readStatusFile(sb)?.restarts).toBe(1);
    expect(sb.api.evictionRequests).toHaveLength(0);
  });

  it('reports a missing runner binary instead of crash-looping', async () => {
    const sandbox = await sandboxes.make({ scenarios: 'idle' });
    fs.rmSync(sandbox.runnerBinary);
    const result = await runBundle(sandbox, ['start', ...sandbox.flags, '--quarantine-min', '0']);
    expect(result.exitCode).toBe(0);
    const sb = sandbox;
    await waitFor('quarantined', () => state(sb) === 'quarantined');
    expect(readItem(sb, '6_last_error')).toContain('is missing or not executable');
  });
});

describe('self-eviction against a faulty Coder API', () => {
  it('retries 503, 429 with Retry-After and a reset connection, then creates exactly one delete build', async () => {
    const sandbox = await sandboxes.make({ scenarios: 'exit-clean' });
    sandbox.api.script.push({ status: 503 }, { status: 429, retryAfter: '1' }, { reset: true });
    const sb = sandbox;
    expect((await runBundle(sb, ['start', ...sb.flags])).exitCode).toBe(0);
    await waitFor('eviction', () => state(sb) === 'evicted');
    expect(sb.api.deleteBuilds).toBe(1);
    expect(posts(sb)).toBe(4);
    const statuses = readStatusFile(sb);
    expect(statuses?.eviction?.outcome).toBe('succeeded');
    // After the ambiguous reset it first checked whether the delete had already been queued.
    expect(sb.api.evictionRequests.some((r) => r.method === 'GET')).toBe(true);
  });

  it('waits out an active build (409)', async () => {
    const sandbox = await sandboxes.make({ scenarios: 'exit-clean' });
    sandbox.api.script.push(
      { status: 409, body: { message: 'A workspace build is already active.' } },
      { status: 409 },
    );
    const sb = sandbox;
    expect((await runBundle(sb, ['start', ...sb.flags])).exitCode).toBe(0);
    await waitFor('eviction', () => state(sb) === 'evicted');
    expect(sb.api.deleteBuilds).toBe(1);
    expect(posts(sb)).toBe(3);
  });

  it.each([
    [401, /expired or revoked/],
    [403, /scopes workspace:read, workspace:delete and template:read/],
    [404, /check workspace_id/],
  ])('does not retry a %i and names the likely cause', async (status, message) => {
    const sandbox = await sandboxes.make({ scenarios: 'exit-clean' });
    sandbox.api.script.push({ status });
    const sb = sandbox;
    expect((await runBundle(sb, ['start', ...sb.flags])).exitCode).toBe(0);
    await waitFor('eviction failure', () => state(sb) === 'eviction-failed');
    expect(posts(sb)).toBe(1);
    expect(readStatusFile(sb)?.eviction?.message).toMatch(message);
    expect(readItem(sb, '6_last_error')).toMatch(message);
  });
});

describe('lock, restart and stop', () => {
  it('a locked workspace that starts again self-evicts without starting a runner', async () => {
    const sandbox = await sandboxes.make({ scenarios: 'idle' });
    fs.mkdirSync(sandbox.stateDir, { recursive: true });
    fs.writeFileSync(path.join(sandbox.stateDir, 'locked'), '1700000000 session wrapper\n');
    const sb = sandbox;
    expect((await runBundle(sb, ['start', ...sb.flags])).exitCode).toBe(0);
    await waitFor('eviction', () => state(sb) === 'evicted');
    expect(runnerStarts(sb)).toBe(0);
    expect(sb.api.deleteBuilds).toBe(1);

    // Started yet again (before Coder deleted it): no runner and no second delete build.
    expect((await runBundle(sb, ['run', ...sb.flags])).exitCode).toBe(0);
    expect(runnerStarts(sb)).toBe(0);
    expect(posts(sb)).toBe(1);
  });

  it('a second start while one is alive is a no-op that says so', async () => {
    const sb = await started({ scenarios: 'idle' });
    await waitFor('runner up', () => state(sb) === 'running');
    const again = await runBundle(sb, ['start', ...sb.flags]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/already running \(pid \d+\)/);
    await sleep(500);
    expect(runnerStarts(sb)).toBe(1);
  });

  it('stop kills the process group of a runner that ignores SIGTERM after the drain timeout', async () => {
    const sb = await started({ scenarios: 'hang-on-sigterm' }, ['--drain-timeout-sec', '100']);
    await waitFor('runner up', () => state(sb) === 'running' && readStatusFile(sb)?.programPid);
    const runnerPid = readStatusFile(sb)?.programPid ?? 0;
    const supervisorPid = readStatusFile(sb)?.supervisorPid ?? 0;
    const begun = Date.now();
    const stop = await runBundle(sb, ['stop', '--state-dir', sb.stateDir, '--drain-timeout-sec', '100']);
    expect(stop.exitCode).toBe(0);
    expect(Date.now() - begun).toBeGreaterThanOrEqual(99_000);
    // A zombie waiting for its reaper counts as gone (no start time in /proc).
    expect(processStartTime(runnerPid)).toBeUndefined();
    expect(processStartTime(supervisorPid)).toBeUndefined();
    expect(state(sb)).toBe('stopped');
    expect(sb.api.evictionRequests).toHaveLength(0);
    expect(standInEvents(sb).filter((e) => e.event === 'signal-ignored')).toHaveLength(1);
    // The drain timeout's floor is the runner's stop budget (100 s): the runner here never drains.
  }, 160_000);

  it('records the lock from the wrapper even when a session is shorter than a health poll', async () => {
    const sb = await started(
      { scenarios: 'session-then-drain', extraEnv: { STANDIN_SESSION_SEC: '0.05', STANDIN_SESSION_AFTER_MS: '100' } },
      ['--health-interval-sec', '30'],
    );
    await waitFor('eviction', () => state(sb) === 'evicted');
    const status = readStatusFile(sb);
    expect(status?.locked).toBe(true);
    expect(sb.api.deleteBuilds).toBe(1);
  });

  it('runs claude through a wrapper whose path has spaces and quotes, with fd 3 and the forced permission mode', async () => {
    const sb = await started(
      { scenarios: 'session-then-drain', claudeDirName: `dir with 'quotes' and "double" spaces` },
      ['--permission-mode', 'acceptEdits'],
    );
    await waitFor('eviction', () => state(sb) === 'evicted');
    const record = fs.readFileSync(sb.claudeRecord, 'utf8');
    // The runner's own flags, then the server's (a permission mode among them), then ours, last.
    expect(record).toMatch(
      /^argv: \[--print\] \[--sdk-url\] \[\S+\/v1\/code\/sessions\/cse_01\w+\] .* \[--permission-mode\] \[default\] \[--permission-mode\] \[acceptEdits\]$/m,
    );
    expect(record).toContain('fd3: open');
  });
});

describe('more faults', () => {
  it('a supervisor killed outright is replaced by a new start that watches the same runner (no second runner)', async () => {
    const sb = await started({ scenarios: 'idle' });
    await waitFor('runner up', () => state(sb) === 'running' && readStatusFile(sb)?.programPid);
    const first = readStatusFile(sb);
    process.kill(first?.supervisorPid ?? 0, 'SIGKILL');
    await waitFor('supervisor gone', () => processStartTime(first?.supervisorPid ?? 0) === undefined);
    expect(readItem(sb, '4_supervisor_state')).toMatch(/^(registering|waiting for a session)/);

    const again = await runBundle(sb, ['start', ...sb.flags]);
    expect(again.stdout).toMatch(/supervisor started/);
    await waitFor(
      'new supervisor',
      () => readStatusFile(sb)?.supervisorPid !== first?.supervisorPid && state(sb) === 'running',
    );
    expect(readStatusFile(sb)?.programPid).toBe(first?.programPid);
    await sleep(1500);
    expect(runnerStarts(sb)).toBe(1);

    const stop = await runBundle(sb, ['stop', '--state-dir', sb.stateDir, '--drain-timeout-sec', '100']);
    expect(stop.exitCode).toBe(0);
    expect(processStartTime(first?.programPid ?? 0)).toBeUndefined();
    expect(state(sb)).toBe('stopped');
  });

  it('uses the old secret flag for runners before 2.1.216', async () => {
    const sb = await started({ scenarios: 'idle', extraEnv: { STANDIN_VERSION: '2.1.210' } });
    const argv =
      (await waitFor('runner started', () => standInEvents(sb).find((e) => e.event === 'start')))?.argv ?? [];
    expect(argv).toContain('--pool-secret-file');
    expect(argv).not.toContain('--environment-secret-file');
  });

  it('says so when the runner base dir cannot be written, instead of crash-looping', async () => {
    const sandbox = await sandboxes.make({ scenarios: 'idle' });
    const blocker = path.join(sandbox.dir, 'a-file');
    fs.writeFileSync(blocker, '');
    const sb = sandbox;
    expect((await runBundle(sb, ['start', ...sb.flags, '--base-dir', path.join(blocker, 'sessions')])).exitCode).toBe(
      0,
    );
    await waitFor('quarantined', () => state(sb) === 'quarantined');
    expect(readItem(sb, '6_last_error')).toMatch(/runner base dir .* is not writable .* set runner_base_dir/);
    expect(runnerStarts(sb)).toBe(0);
  });

  it('hands a maximum lifetime to the runner as --retire-at; it retires and the workspace self-evicts', async () => {
    const begun = Math.floor(Date.now() / 1000);
    const sb = await started({ scenarios: 'idle' }, ['--max-lifetime-min', '0.03']);
    await waitFor('eviction', () => state(sb) === 'evicted');
    const argv = standInEvents(sb).find((e) => e.event === 'start')?.argv ?? [];
    const retireAt = Number(argv[argv.indexOf('--retire-at') + 1]);
    expect(retireAt).toBeGreaterThanOrEqual(begun + 1);
    expect(retireAt).toBeLessThanOrEqual(begun + 4);
    expect(standInEvents(sb).some((e) => e.event === 'retire')).toBe(true);
    expect(sb.api.deleteBuilds).toBe(1);
  });

  it('a delete request that never answers times out, and the retry finds or makes exactly one delete build', async () => {
    const sandbox = await sandboxes.make({ scenarios: 'exit-clean' });
    sandbox.api.script.push({ hang: true }, { status: 503, delayMs: 200 });
    const sb = sandbox;
    expect((await runBundle(sb, ['start', ...sb.flags, '--eviction-request-timeout-sec', '1'])).exitCode).toBe(0);
    await waitFor('eviction', () => state(sb) === 'evicted');
    expect(sb.api.deleteBuilds).toBe(1);
    expect(sb.api.evictionRequests.map((r) => r.method)).toEqual(['POST', 'GET', 'POST', 'POST']);
  });

  it('leaves no process of the runner or its sessions behind after a stop mid-session', async () => {
    const sb = await started(
      { scenarios: 'session-then-drain', extraEnv: { STANDIN_SESSION_SEC: '30', STANDIN_SESSION_AFTER_MS: '100' } },
      ['--drain-timeout-sec', '100'],
    );
    await waitFor('session running', () => readItem(sb, '1_active_sessions') === '1 / 4');
    const stop = await runBundle(sb, ['stop', '--state-dir', sb.stateDir, '--drain-timeout-sec', '100']);
    expect(stop.exitCode).toBe(0);
    await sleep(300);
    const survivors = fs
      .readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry) && processStartTime(Number(entry)) !== undefined)
      .filter((entry) => {
        try {
          return fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(sb.dir);
        } catch {
          return false;
        }
      });
    expect(survivors).toEqual([]);
    expect(state(sb)).toBe('stopped');
    expect(sb.api.deleteBuilds).toBe(0);
  });
});

describe('fault matrix', () => {
  it('a runner killed with SIGKILL before any session is restarted, not evicted', async () => {
    const sb = await started({ scenarios: 'idle' });
    const first = await waitFor('runner', () => standInEvents(sb).find((e) => e.event === 'listening'));
    process.kill(first.pid, 'SIGKILL');
    await waitFor('second runner', () => standInEvents(sb).filter((e) => e.event === 'listening').length === 2);
    expect(readStatusFile(sb)?.restarts).toBe(1);
    expect(readItem(sb, '6_last_error')).toMatch(/killed by SIGKILL/);
    expect(sb.api.evictionRequests).toHaveLength(0);
  });

  it('a runner killed with SIGKILL after a session self-evicts (never reused)', async () => {
    const sb = await started({
      scenarios: 'session-then-drain',
      extraEnv: { STANDIN_SESSION_SEC: '30', STANDIN_SESSION_AFTER_MS: '100' },
    });
    await waitFor('locked', () => readItem(sb, '0_lock_status') === 'locked');
    const runner = standInEvents(sb).find((e) => e.event === 'start');
    process.kill(runner?.pid ?? 0, 'SIGKILL');
    await waitFor('eviction', () => state(sb) === 'evicted');
    expect(sb.api.deleteBuilds).toBe(1);
    expect(runnerStarts(sb)).toBe(1);
  });

  it('an unwritable state dir fails start with a clear message and exit code 73', async () => {
    const sandbox = await sandboxes.make({ scenarios: 'idle' });
    const blocker = path.join(sandbox.dir, 'not-a-dir');
    fs.writeFileSync(blocker, '');
    const result = await runBundle(sandbox, ['start', ...sandbox.flags, '--state-dir', path.join(blocker, 'state')]);
    expect(result.exitCode).toBe(73);
    expect(result.stderr).toMatch(/cannot create the .*not-a-dir\/state.*ENOTDIR/);
    expect(runnerStarts(sandbox)).toBe(0);
  });

  it('garbage from /healthz is ignored: the runner keeps running and the dashboard says ?', async () => {
    const sb = await started({ scenarios: 'garbage-health' });
    await waitFor('runner up', () => state(sb) === 'running');
    await sleep(2500);
    expect(state(sb)).toBe('running');
    expect(readItem(sb, '1_active_sessions')).toBe('?');
    expect(readItem(sb, '3_last_poll')).toBe('?');
    expect(readStatusFile(sb)?.restarts).toBe(0);
  });

  it('an API that resets every connection until the deadline ends in eviction-failed, not a retry storm', async () => {
    const sandbox = await sandboxes.make({ scenarios: 'exit-clean' });
    for (let i = 0; i < 200; i += 1) sandbox.api.script.push({ reset: true });
    const sb = sandbox;
    expect(
      (await runBundle(sb, ['start', ...sb.flags, '--eviction-deadline-sec', '10', '--eviction-retry-base-ms', '200']))
        .exitCode,
    ).toBe(0);
    await waitFor('eviction failure', () => state(sb) === 'eviction-failed', 30_000);
    expect(readStatusFile(sb)?.eviction?.message).toMatch(/\(deadline reached\); last: request failed/);
    // Full jitter with a 200 ms base keeps this to a few dozen requests in 10 s, not thousands.
    expect(sb.api.evictionRequests.length).toBeLessThan(60);
    expect(sb.api.deleteBuilds).toBe(0);
  });
});
