import { describe, expect, it } from 'vitest';
import {
  classifyRunnerExit,
  registrationProgress,
  sessionStartLine,
  type RunnerExitKind,
} from '../../../../../supervisor/src/roles/runner/classify-exit.js';

/** Lines as the real runner (2.1.330) prints them: `<ISO time> [self-hosted-runner] <text>`. */
const at = (text: string): string => `2026-11-24T08:00:00.000Z [self-hosted-runner] ${text}`;
const exit = (exitCode: number | undefined, signal?: string) => ({
  exitCode,
  signal,
  runtimeMs: 15_000,
  spawnError: undefined,
});

const transient = at('RegisterRunner attempt 1 transient failure (connect ECONNREFUSED 127.0.0.1:9) — retrying');

describe('classifyRunnerExit', () => {
  it.each<[string, number | undefined, string[], RunnerExitKind]>([
    [
      'an outage (registration retries used up)',
      1,
      [transient, at('[runner:fatal] RegisterRunner failed: connect ECONNREFUSED 127.0.0.1:9')],
      'unreachable',
    ],
    [
      'a DNS failure',
      1,
      [at('[runner:fatal] RegisterRunner failed: getaddrinfo ENOTFOUND api.anthropic.com')],
      'unreachable',
    ],
    [
      'a refused secret (401)',
      1,
      [
        at(
          "[runner:fatal] RegisterRunner auth failed — the server did not accept this runner's credential (HTTP 401). It was read from the file /s.",
        ),
      ],
      'secret-refused',
    ],
    [
      'a refused secret (403)',
      1,
      [at('[runner:fatal] RegisterRunner auth failed — the server denied access (HTTP 403): nope')],
      'secret-refused',
    ],
    [
      'an organization without self-hosted environments',
      1,
      [
        at(
          '[runner:fatal] RegisterRunner refused because self-hosted environments are not enabled for this organization. Usually ...',
        ),
      ],
      'not-enabled',
    ],
    [
      'an expired poll token (exit 0)',
      0,
      [
        at('[runner:fatal] poll auth failed — token expired or revoked. Draining and exiting for clean restart.'),
        at('[runner:exit] Deregistered'),
      ],
      'token-expired',
    ],
    [
      'a configuration error',
      2,
      [
        'error: cannot create or write to base directory /x (ENOTDIR); pass --base-dir <writable path> or set SELF_HOSTED_RUNNER_BASE_DIR',
        "Run 'claude self-hosted-runner --help' for usage.",
      ],
      'config-error',
    ],
    [
      'a clean drain',
      0,
      [
        at(
          'Received shutdown signal, draining active sessions... (SIGTERM; uptime 7s; 0 active session(s), 0 of them idle)',
        ),
        at('[runner:exit] Deregistered'),
      ],
      'clean',
    ],
    [
      'a work order used twice (409 already_registered, exit 1)',
      1,
      [
        at(
          '[runner:fatal] RegisterRunner refused because this work order has already been used, or another runner already has its session. A work order is single-use and short-lived, so restarting this runner with the same one cannot help. A restarted runner needs a fresh work order, which comes only with a new spawn request. The environment secret is not at fault, so do not rotate it. See https://code.claude.com/docs/en/self-hosted-environments-deploy#troubleshooting The server answered (HTTP 409) work_order_not_redeemable, already_registered: work order already redeemed',
        ),
      ],
      'work-order-refused',
    ],
    [
      'a work order whose session ended (409 session_not_active, exit 0)',
      0,
      [
        at(
          '[runner:fatal] RegisterRunner refused because the session is no longer active, so this runner is not needed. A work order is single-use and short-lived, so restarting this runner with the same one cannot help.',
        ),
      ],
      'work-order-refused',
    ],
    [
      'an expired work order (401, exit 1)',
      1,
      [at('[runner:fatal] RegisterRunner refused because this work order expired at 2026-12-01T10:13:56.000Z. ...')],
      'work-order-refused',
    ],
    ['a 403 on poll', 1, [at('[runner:fatal] poll auth failed — the server denied access (HTTP 403): gone')], 'crash'],
    ['an unknown crash', 1, [at('something odd')], 'crash'],
    [
      // 2.1.330 echoes a session's stderr raw in its "finished" line: a line of it is not the runner's.
      'a session that forges a fatal line after a newline of its stderr (issue 28)',
      0,
      [
        at('Session cse_1 finished: interrupted — reason: child interrupted (SIGTERM/watchdog): junk'),
        '[runner:fatal] RegisterRunner refused because self-hosted environments are not enabled for this organization',
        at('[runner:exit] Deregistered'),
      ],
      'clean',
    ],
  ])('%s', (_what, code, lines, kind) => {
    expect(classifyRunnerExit(exit(code), lines).kind).toBe(kind);
  });

  it('keeps the runner fatal line, without its time prefix, as the reason', () => {
    const verdict = classifyRunnerExit(exit(1), [
      transient,
      at('[runner:fatal] RegisterRunner failed: connect ECONNREFUSED 127.0.0.1:9'),
    ]);
    expect(verdict.line).toBe('[runner:fatal] RegisterRunner failed: connect ECONNREFUSED 127.0.0.1:9');
  });

  it('a runner killed while it still retried its registration was unreachable', () => {
    expect(classifyRunnerExit(exit(undefined, 'SIGKILL'), [transient]).kind).toBe('unreachable');
  });
});

describe('registrationProgress', () => {
  it('counts failed attempts, then sees the registration', () => {
    const failing = [
      transient,
      at('RegisterRunner attempt 2 transient failure (connect ECONNREFUSED 127.0.0.1:9) — retrying'),
    ];
    expect(registrationProgress(failing)).toMatchObject({ registered: false, failedAttempts: 2 });
    expect(registrationProgress([...failing, at('Registered: runner_id=ccrunner_01ABC')])).toEqual({
      registered: true,
      runnerId: 'ccrunner_01ABC',
      failedAttempts: 0,
      lastFailure: undefined,
    });
  });
});

describe('sessionStartLine', () => {
  it('is the runner’s own line that a session started, never one without its prefix', () => {
    expect(sessionStartLine([at('Registered: runner_id=ccrunner_1'), at('Picked up session cse_1 (1/1 active)')])).toBe(
      'Picked up session cse_1 (1/1 active)',
    );
    expect(sessionStartLine([at('[runner:session] cse_1 child spawned pid=7 cwd=/b/_sessions/cse_1')])).toMatch(
      /child spawned/,
    );
    expect(sessionStartLine(['Picked up session cse_1 (1/1 active)', at('Registered: runner_id=ccrunner_1')])).toBe(
      undefined,
    );
  });
});
