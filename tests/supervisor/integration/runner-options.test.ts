import { describe, expect, it } from 'vitest';
import { readStatusFile, runBundle, standInEvents, waitFor, type Sandbox } from '../../helpers/sandbox.js';
import { sandboxPerTest } from '../../helpers/sandbox-per-test.js';

/** The runner options of the inputs table, from the supervisor's flags to the runner's argv and behaviour. */
const sandboxes = sandboxPerTest();

const argvOf = (sb: Sandbox): string[] => standInEvents(sb).find((e) => e.event === 'start')?.argv ?? [];
const after = (argv: string[], flag: string): string | undefined => argv[argv.indexOf(flag) + 1];

describe('runner options', () => {
  it('reach the runner: the computed client label, the watchdogs, hooks, proxy, log level and extra arguments', async () => {
    const sb = await sandboxes.make({
      scenarios: 'idle',
      extraEnv: { CODER_WORKSPACE_OWNER_NAME: 'alice', CODER_WORKSPACE_NAME: 'runner-7' },
    });
    const start = await runBundle(sb, [
      'start',
      ...sb.flags,
      '--release-idle-session-min',
      '15',
      '--kill-session-after-min',
      '240',
      '--hooks-dir',
      '/opt/claude-hooks',
      '--agent-proxy-url',
      'https://proxy.example.com/',
      '--runner-log-level',
      'debug',
      '--drain-wait-sec',
      '5',
      // As the launcher passes them: one flag each, joined with `=` (a value may start with a dash).
      '--extra-runner-arg=--drain-grace-sec',
      '--extra-runner-arg=0',
    ]);
    expect(start.exitCode, start.stderr).toBe(0);
    await waitFor('runner up', () => argvOf(sb).length > 0);
    const argv = argvOf(sb);
    expect(after(argv, '--client-label')).toBe('alice/runner-7');
    expect(after(argv, '--release-idle-session-min')).toBe('15');
    expect(after(argv, '--kill-session-after-min')).toBe('240');
    expect(after(argv, '--hooks-dir')).toBe('/opt/claude-hooks');
    expect(after(argv, '--agent-proxy-url')).toBe('https://proxy.example.com/');
    expect(after(argv, '--log-level')).toBe('debug');
    expect(after(argv, '--drain-wait-sec')).toBe('5');
    expect(after(argv, '--drain-marker-file')).toMatch(/\/drain-marker$/);
    expect(argv.slice(-2)).toEqual(['--drain-grace-sec', '0']);
    expect(argv).not.toContain('--exit-if-unused-min');
  });

  it('a runner never assigned work exits after --exit-if-unused-min, and the workspace is recycled', async () => {
    const sb = await sandboxes.make({ scenarios: 'idle', extraEnv: { STANDIN_MINUTE_MS: '500' } });
    expect((await runBundle(sb, ['start', ...sb.flags, '--exit-if-unused-min', '1'])).exitCode).toBe(0);
    await waitFor('eviction', () => readStatusFile(sb)?.state === 'evicted');
    expect(standInEvents(sb).some((e) => e.event === 'unused-exit')).toBe(true);
    expect(readStatusFile(sb)?.locked).toBe(false);
    expect(sb.api.deleteBuilds).toBe(1);
  });

  it('a stop writes the drain marker first, so the runner reports a host drain with the force-stop time', async () => {
    const sb = await sandboxes.make({ scenarios: 'idle' });
    expect((await runBundle(sb, ['start', ...sb.flags])).exitCode).toBe(0);
    await waitFor('runner up', () => readStatusFile(sb)?.state === 'running' && readStatusFile(sb)?.programPid);
    const before = Math.floor(Date.now() / 1000);
    const stop = await runBundle(sb, [
      'stop',
      '--state-dir',
      sb.stateDir,
      '--drain-timeout-sec',
      '100',
      '--drain-wait-sec',
      '5',
    ]);
    expect(stop.exitCode).toBe(0);
    const drain = standInEvents(sb).find((e) => e.event === 'drain');
    expect(drain?.hostDrain).toBe(true);
    // The stop's whole budget (100 s plus the 5 s drain wait) and the settle time, from now.
    expect(Number(drain?.forceAt)).toBeGreaterThanOrEqual(before + 105);
    expect(sb.api.evictionRequests).toHaveLength(0);
    // The next start clears it: a later drain is not a host drain unless a stop says so again.
    await sb.api.close();
  });

  it('refuses extra arguments that set a flag the supervisor owns, by name', async () => {
    const sb = await sandboxes.make({ scenarios: 'idle' });
    for (const word of ['--exec-path', '--environment-secret-file=/tmp/x', '--health-port']) {
      const start = await runBundle(sb, ['start', ...sb.flags, `--extra-runner-arg=${word}`]);
      expect(start.exitCode).toBe(78);
      expect(start.stderr).toContain(`--extra-runner-arg: ${word.split('=')[0]} is set by the supervisor`);
    }
    expect(standInEvents(sb)).toHaveLength(0);
  });

  it('refuses an agent proxy URL with a password, without quoting it back', async () => {
    const sb = await sandboxes.make({ scenarios: 'idle' });
    const start = await runBundle(sb, [
      'start',
      ...sb.flags,
      '--agent-proxy-url',
      'https://user:SECRETPASS@proxy.example.com',
    ]);
    expect(start.exitCode).toBe(78);
    expect(start.stderr).toMatch(/--agent-proxy-url: expected an https:\/\/ URL without a user name or password/);
    expect(start.stderr).not.toContain('SECRETPASS');
  });
});
