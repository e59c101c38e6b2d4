// The module's runner watchdogs as the real runner (2.1.330) applies them to a session that the
// Anthropic API double assigns. The flags are the supervisor's own rendering (buildRunnerArgs);
// the runner takes fractions of a minute for all three minute flags (it parses them with
// Number()), so 0.05 min (3 s) shortens them, and the 15 min hard stop after
// --kill-session-after-min through its SELF_HOSTED_RUNNER_MAX_LIFETIME_GRACE_MS (ms) form.
// max_lifetime_minutes reaches the runner as --retire-at (whole epoch seconds), set 3 s ahead.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunnerOptions } from '../../supervisor/src/config/config.js';
import { buildRunnerArgs } from '../../supervisor/src/roles/runner/runner-args.js';
import { startAnthropicDouble, type AnthropicDouble } from '../helpers/anthropic-double.js';
import { LoopbackNamespace, follow, withoutPrefix } from '../helpers/real-runner.js';
import { credentialFile, sessionWrapper } from '../helpers/real-session.js';
import { noRunnerOptions } from '../helpers/runner-options.js';

describe('the runner watchdogs, as the real runner applies them', () => {
  let ns: LoopbackNamespace;
  let double: AnthropicDouble;
  let secretFile: string;
  beforeAll(async () => {
    ns = await LoopbackNamespace.create();
    double = await startAnthropicDouble(ns, 18501);
    secretFile = credentialFile(ns.dir, 'environment-secret', await double.environmentSecret());
  });
  afterAll(async () => {
    await double?.stop();
    ns?.close();
  });

  /** A runner with the supervisor's flags for these options, serving one session unless `turn` is undefined. */
  async function serve(
    name: string,
    options: Partial<RunnerOptions> & { retireAtEpochSec?: number },
    turn: 'idle' | 'busy' | undefined,
    env: Record<string, string> = {},
  ) {
    const dir = path.join(ns.dir, name);
    const wrapper = sessionWrapper(dir, 'bypassPermissions');
    const session = turn === undefined ? undefined : await double.createSession();
    const args = buildRunnerArgs({
      secretFlag: '--environment-secret-file',
      secretFile,
      capacity: 1,
      wrapper: wrapper.file,
      healthPort: 0,
      baseDir: path.join(dir, 'base'),
      retireAtEpochSec: options.retireAtEpochSec,
      drainWaitSec: 0,
      drainMarkerFile: path.join(dir, 'drain-marker'),
      options: { ...noRunnerOptions, ...options },
    });
    const started = Date.now();
    const runner = follow(
      ns.runClaude([...args, '--api-url', double.url], {
        env: {
          STANDIN_CLAUDE_RECORD: wrapper.record,
          STANDIN_SESSION_SEC: '120',
          STANDIN_SESSION_TURN: turn ?? '',
          ...env,
        },
      }),
    );
    const outcome = await runner.done;
    const state = await double.state();
    return {
      exitCode: outcome.exitCode,
      seconds: (outcome.endedAt - started) / 1000,
      texts: runner.lines.map((l) => withoutPrefix(l.text)),
      session: state.sessions.find((s) => s.id === session?.id),
      runner: state.runners.at(-1),
    };
  }

  it('release_idle_session_minutes: a session whose user went idle is released, and the runner exits', async () => {
    const run = await serve('idle', { releaseIdleSessionMin: 0.05 }, 'idle');
    expect(run.exitCode).toBe(0);
    const id = run.session?.id;
    expect(run.texts).toContain(`[runner:session] ${id} user idle 3s — releasing`);
    expect(run.texts).toContain(`[runner:session] ${id} released after post-session hook — parked server-side`);
    expect(run.session?.state).toBe('released');
    expect(run.runner?.deregistered?.body).toEqual({ reason: 'idle_release' });
  });

  it('kill_session_after_minutes: a session waiting on its user is released at the deadline', async () => {
    const run = await serve('kill-idle', { killSessionAfterMin: 0.05 }, 'idle');
    expect(run.exitCode).toBe(0);
    expect(run.texts).toContain(
      `[runner:session] ${run.session?.id} max session age reached while idle — releasing now`,
    );
    expect(run.session?.state).toBe('released');
  });

  it('kill_session_after_minutes: a turn still running is terminated at the hard stop (its _MS form), and reported', async () => {
    const run = await serve('kill-busy', { killSessionAfterMin: 0.05 }, 'busy', {
      SELF_HOSTED_RUNNER_MAX_LIFETIME_GRACE_MS: '1000',
    });
    expect(run.exitCode).toBe(0);
    const id = run.session?.id;
    expect(run.texts).toContain(
      `[runner:session] ${id} max session age reached (3000ms) — waiting up to 1000ms for the in-flight turn to park or finish (it is then released; terminated at the hard stop otherwise)`,
    );
    expect(
      run.texts.some((t) =>
        t.startsWith(
          `[runner:session] ${id} still mid-turn, or its release was not accepted, within 1000ms of the max session age (3000ms) — terminating (hard stop)`,
        ),
      ),
    ).toBe(true);
    expect(run.session?.state).toBe('failed');
  });

  it('exit_if_unused_minutes: a runner never given work exits 0', async () => {
    const run = await serve('unused', { exitIfUnusedMin: 0.05 }, undefined);
    expect(run.exitCode).toBe(0);
    expect(run.texts.slice(-2)).toEqual([
      '[runner:exit] idle 0min with no work — exiting for autoscaler scale-down',
      '[runner:exit] Deregistered',
    ]);
    // 3 s, plus at most one held poll (the double holds one for 3 s).
    expect(run.seconds).toBeGreaterThanOrEqual(3);
  });

  it('max_lifetime_minutes (--retire-at): the session is released at that time, and the runner exits 0', async () => {
    const run = await serve('retire', { retireAtEpochSec: Math.floor(Date.now() / 1000) + 3 }, 'idle');
    expect(run.exitCode).toBe(0);
    expect(run.texts).toContain(
      '[runner:retire] retire time reached — releasing 1 active session(s), refusing new work; exiting once the slots are empty',
    );
    expect(run.texts).toContain(
      '[runner:exit] retire time passed and no active sessions — exiting before the host kills this runner.',
    );
    expect(run.session?.state).toBe('released');
  });
});
