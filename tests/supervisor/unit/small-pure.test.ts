import fc from 'fast-check';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { joinApiUrl, workspaceBuildsUrl } from '../../../supervisor/src/api-url.js';
import { dashboardItems, formatLastPoll } from '../../../supervisor/src/dashboard.js';
import { parseHealth, parseMetrics, showsLock } from '../../../supervisor/src/health.js';
import { buildRunnerArgs, runnerEnvironment } from '../../../supervisor/src/runner-args.js';
import { parseRunnerVersion, secretFlagFor } from '../../../supervisor/src/runner-version.js';
import { redactSecrets } from '../../../supervisor/src/secrets.js';
import { shellQuote } from '../../../supervisor/src/shell-quote.js';
import { emptyStatus } from '../../../supervisor/src/status.js';

describe('joinApiUrl', () => {
  it.each([
    ['https://coder.example.com', 'https://coder.example.com/api/v2/x'],
    ['https://coder.example.com/', 'https://coder.example.com/api/v2/x'],
    ['https://example.com/coder/', 'https://example.com/coder/api/v2/x'],
    ['https://example.com/coder', 'https://example.com/coder/api/v2/x'],
    ['http://127.0.0.1:3000/?q=1#h', 'http://127.0.0.1:3000/api/v2/x'],
  ])('%s', (base, expected) => {
    expect(joinApiUrl(base, '/api/v2/x')).toBe(expected);
  });

  it('encodes the workspace id', () => {
    expect(workspaceBuildsUrl('https://c/', 'a/b')).toBe('https://c/api/v2/workspaces/a%2Fb/builds');
  });
});

describe('shellQuote', () => {
  it('round-trips any string through sh', async () => {
    const samples = fc.sample(
      fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0')),
      40,
    );
    samples.push(`it's "quoted" $HOME \`x\` \\ \n new line`);
    const script = samples.map((s) => `printf '%s\\0' ${shellQuote(s)}`).join('\n');
    const { stdout } = await execa('sh', ['-c', script], { stripFinalNewline: false });
    expect(stdout.split('\0').slice(0, -1)).toEqual(samples);
  });

  it('refuses a NUL byte', () => {
    expect(() => shellQuote('a\0b')).toThrow(TypeError);
  });
});

describe('runner version and arguments', () => {
  it('picks the secret flag by version', () => {
    expect(secretFlagFor(parseRunnerVersion('2.1.230 (Claude Code)'))).toBe('--environment-secret-file');
    expect(secretFlagFor(parseRunnerVersion('2.1.216 (Claude Code)'))).toBe('--environment-secret-file');
    expect(secretFlagFor(parseRunnerVersion('2.1.215 (Claude Code)'))).toBe('--pool-secret-file');
    expect(secretFlagFor(parseRunnerVersion('garbage'))).toBe('--environment-secret-file');
  });

  it('passes the secret only as a path, and the documented flags', () => {
    const args = buildRunnerArgs({
      secretFlag: '--environment-secret-file',
      secretFile: '/s/secret',
      capacity: 3,
      wrapper: '/s/w.sh',
      runnerLog: '/l/runner.log',
      healthPort: 8123,
      baseDir: '/b',
      retireAtEpochSec: 1_900_000_000,
    });
    expect(args).toEqual([
      'self-hosted-runner',
      '--environment-secret-file',
      '/s/secret',
      '--capacity',
      '3',
      '--exec-path',
      '/s/w.sh',
      '--log-file',
      '/l/runner.log',
      '--health-port',
      '8123',
      '--base-dir',
      '/b',
      '--retire-at',
      '1900000000',
    ]);
  });

  it('strips the pool secret and the eviction token from the runner environment', () => {
    expect(
      runnerEnvironment({ CLAUDE_POOL_SECRET: 'a', CODER_SELF_TOKEN: 'b', GIT_BOT_TOKEN: 'c', PATH: '/bin' }),
    ).toEqual({
      GIT_BOT_TOKEN: 'c',
      PATH: '/bin',
    });
  });
});

describe('health and metrics parsing', () => {
  it('reads the documented /healthz fields, nulls as unknown', () => {
    expect(
      parseHealth(
        '{"status":"ok","runner_id":"ccrunner_1","active_sessions":2,"last_poll_at":null,"last_poll_age_ms":null}',
      ),
    ).toEqual({
      status: 'ok',
      runnerId: 'ccrunner_1',
      activeSessions: 2,
      lastPollAt: undefined,
      lastPollAgeMs: undefined,
    });
  });

  it('ignores garbage', () => {
    for (const body of ['', 'not json', '[]', 'null', '"x"', '{"status": not json'])
      expect(parseHealth(body)).toBeUndefined();
    expect(parseHealth('{"active_sessions":"lots","last_poll_age_ms":-4}')).toMatchObject({
      activeSessions: undefined,
      lastPollAgeMs: undefined,
    });
  });

  it('reads the series that show a lock, with or without labels', () => {
    const text = [
      '# HELP claude_code_self_hosted_runner_sessions_started_total x',
      'claude_code_self_hosted_runner_sessions_started_total_bogus 9',
      'claude_code_self_hosted_runner_sessions_started_total{pool="p"} 3',
    ].join('\n');
    expect(parseMetrics(text)).toEqual({ sessionsStarted: 3, lockedAccount: undefined });
    expect(showsLock(undefined, { sessionsStarted: 3, lockedAccount: undefined })).toMatch(/sessions_started_total/);
    expect(
      showsLock(
        { status: 'ok', runnerId: undefined, activeSessions: 0, lastPollAt: undefined, lastPollAgeMs: 5 },
        parseMetrics(''),
      ),
    ).toBeUndefined();
  });
});

describe('dashboard items', () => {
  it('formats the last poll like the registry module', () => {
    expect(formatLastPoll(undefined)).toBe('?');
    expect(formatLastPoll(1234)).toBe('ok (1234ms ago)');
    expect(formatLastPoll(45_600)).toBe('stale (45s ago)');
  });

  it('shows ? for what is unknown and the counts when the runner is up', () => {
    const idle = dashboardItems(emptyStatus(new Date(0)));
    expect(idle).toMatchObject({
      '0_lock_status': 'unlocked',
      '1_active_sessions': '?',
      '2_runner_id': '?',
      '3_last_poll': '?',
      '6_last_error': 'none',
    });
    const up = dashboardItems({
      ...emptyStatus(new Date(0)),
      state: 'running',
      runnerPid: 5,
      activeSessions: 1,
      capacity: 4,
      locked: true,
      lastPollAgeMs: 20,
    });
    expect(up).toMatchObject({
      '0_lock_status': 'locked',
      '1_active_sessions': '1 / 4',
      '2_runner_id': '(starting)',
      '3_last_poll': 'ok (20ms ago)',
    });
  });
});

describe('redactSecrets', () => {
  it('removes raw and JSON-escaped forms', () => {
    expect(redactSecrets('a s3"cr\\et b', ['s3"cr\\et'])).toBe('a [redacted] b');
    expect(redactSecrets(JSON.stringify({ msg: 'x s3"cr\\et' }), ['s3"cr\\et'])).toBe('{"msg":"x [redacted]"}');
  });
});
