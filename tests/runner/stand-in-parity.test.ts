// The stand-in runner prints what the real runner prints, where the real one prints it, for the
// cases both can produce offline. Each case runs both with the same flags in the same
// loopback-only namespace and compares exit codes and lines (modulo timestamps, paths, runner
// id, exec path, uptime). The longest case, registration that cannot reach the API (about 15 s
// for the real runner), is compared in registration-failure.test.ts, which runs the real one
// only once for all of its assertions.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LoopbackNamespace,
  comparable,
  follow,
  holdPort,
  runStandIn,
  standInClaude,
  startApiDouble,
  writeSecret,
  type Started,
} from '../helpers/real-runner.js';
import { startAnthropicDouble, type AnthropicDouble } from '../helpers/anthropic-double.js';

type Who = 'real' | 'stand-in';

describe('the stand-in runner against the real one', () => {
  let ns: LoopbackNamespace;
  let secretFile: string;
  let apiPort = 18900;
  beforeAll(async () => {
    ns = await LoopbackNamespace.create();
    secretFile = writeSecret(ns.dir);
  });
  afterAll(() => ns?.close());

  /** Per run: its own folder (base dir, log file), the same shape for both runners. */
  function runArgs(runDir: string, extra: string[]): string[] {
    fs.mkdirSync(runDir, { recursive: true });
    return [
      'self-hosted-runner',
      '--environment-secret-file',
      secretFile,
      '--base-dir',
      path.join(runDir, 'base'),
      '--log-file',
      path.join(runDir, 'runner.log'),
      ...extra,
    ];
  }

  function start(
    who: Who,
    name: string,
    extra: string[],
    scenario: string,
    env: Record<string, string> = {},
  ): { run: Started; dir: string } {
    const dir = path.join(ns.dir, `${name}-${who}`);
    const args = runArgs(dir, extra);
    const child = who === 'real' ? ns.runClaude(args, { env }) : runStandIn(ns, args, scenario, env);
    return { run: follow(child), dir };
  }

  async function finished(who: Who, name: string, extra: string[], scenario: string, env: Record<string, string> = {}) {
    const { run, dir } = start(who, name, extra, scenario, env);
    const outcome = await run.done;
    const logFile = path.join(dir, 'runner.log');
    return {
      exitCode: outcome.exitCode,
      stdout: run.lines.filter((l) => l.stream === 'stdout').map((l) => comparable(l.text, dir)),
      stderr: run.lines.filter((l) => l.stream === 'stderr').map((l) => comparable(l.text, dir)),
      log: fs.existsSync(logFile)
        ? fs
            .readFileSync(logFile, 'utf8')
            .trimEnd()
            .split('\n')
            .map((line) => comparable(line, dir))
        : undefined,
    };
  }

  /** Both runners, each stopped by one SIGTERM once it printed `ready` (and `settleMs` later). */
  async function bothDrained(
    name: string,
    extra: string[],
    scenario: string,
    ready: RegExp,
    options: { env?: Record<string, string>; settleMs?: number } = {},
  ) {
    const results: Record<Who, { exitCode: number | undefined; lines: string[] }> = {
      real: { exitCode: undefined, lines: [] },
      'stand-in': { exitCode: undefined, lines: [] },
    };
    for (const who of ['real', 'stand-in'] as const) {
      const { run, dir } = start(who, name, extra, scenario, options.env);
      await run.waitForLine(ready);
      await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 0));
      run.kill('SIGTERM');
      const outcome = await run.done;
      results[who] = {
        exitCode: outcome.exitCode,
        lines: run.lines.map((l) => `${l.stream} ${comparable(l.text, dir)}`),
      };
    }
    return results;
  }

  async function both(name: string, extra: string[], scenario: string) {
    const real = await finished('real', name, extra, scenario);
    const standIn = await finished('stand-in', name, extra, scenario);
    return { real, standIn };
  }

  it('an unwritable base dir: exit 2, the same error: lines on stderr, nothing else', async () => {
    const blocker = path.join(ns.dir, 'a-regular-file');
    fs.writeFileSync(blocker, '');
    const extra = ['--base-dir', path.join(blocker, 'base'), '--health-port', '18100'];
    const { real, standIn } = await both('base-dir', extra, 'idle');
    expect(real.exitCode).toBe(2);
    expect(real.stderr[0]).toMatch(/^error: cannot create or write to base directory .*\(ENOTDIR\)/);
    expect(standIn).toEqual(real);
  });

  it('configuration errors: the same error: lines and exit 2', async () => {
    for (const [name, extra] of [
      ['unknown-flag', ['--no-such-flag', 'x']],
      ['bad-capacity', ['--capacity', '0']],
      ['bad-port', ['--health-port', '70000']],
      ['missing-secret', ['--environment-secret-file', path.join(ns.dir, 'no-such-secret')]],
    ] as const) {
      const { real, standIn } = await both(name, [...extra], 'idle');
      expect(real.exitCode, name).toBe(2);
      expect(standIn, name).toEqual(real);
    }
  });

  it('a busy health port: the same warning, both keep running, and the same drain on SIGTERM', async () => {
    const api = await startApiDouble(ns, (apiPort += 1), 'ok');
    const held = await holdPort(ns, 18101);
    try {
      const extra = ['--health-port', '18101', '--api-url', api.url];
      const results = await bothDrained('busy-port', extra, 'idle', /healthz listener failed/, { settleMs: 500 });
      expect(results.real.exitCode).toBe(0);
      expect(results.real.lines.length).toBeGreaterThan(8);
      expect(results.real.lines).toContain(
        'stdout <time> [self-hosted-runner] [runner:warn] /healthz listener failed on port 18101: Failed to start server. Is port 18101 in use? — continuing without health endpoint',
      );
      expect(results['stand-in']).toEqual(results.real);
    } finally {
      await held.release();
      await api.stop();
    }
  });

  it('refused registrations and an expired poll token: the same fatal lines and exit codes', async () => {
    for (const mode of ['bad-secret', 'not-enabled', 'token-expired'] as const) {
      const api = await startApiDouble(ns, (apiPort += 1), mode);
      try {
        const extra = ['--health-port', '0', '--api-url', api.url];
        const { real, standIn } = await both(mode, extra, mode);
        expect(real.stdout.join('\n'), mode).toMatch(/\[runner:fatal\] /);
        expect(real.stdout.length, mode).toBeGreaterThan(5);
        expect(real.log, mode).toEqual(real.stdout);
        expect(standIn, mode).toEqual(real);
      } finally {
        await api.stop();
      }
    }
  });

  describe('with sessions and work orders from the Anthropic API double', () => {
    let double: AnthropicDouble;
    let claude: string;
    beforeAll(async () => {
      double = await startAnthropicDouble(ns, 18950);
      claude = path.join(ns.dir, 'stand-in-claude');
      fs.copyFileSync(standInClaude, claude);
      fs.chmodSync(claude, 0o755);
    });
    afterAll(() => double?.stop());

    it('a session from pick-up to the drained exit: the same lines and exit 0', async () => {
      const extra = ['--health-port', '0', '--api-url', double.url, '--exec-path', claude];
      const env = { STANDIN_SESSION_SEC: '0.3', STANDIN_SESSION_AFTER_MS: '100' };
      await double.createSession();
      const real = await finished('real', 'session', extra, 'short-session', env);
      const standIn = await finished('stand-in', 'session', extra, 'short-session', env);
      expect(real.exitCode).toBe(0);
      expect(real.stdout.slice(-7)).toEqual([
        '<time> [self-hosted-runner] Picked up session <session> (1/1 active)',
        '<time> [self-hosted-runner] [runner:session] <session> child spawned pid=<pid> cwd=<run>/base/_sessions/<session>',
        '<time> [self-hosted-runner] [runner:session] <session> idle clock armed (startup): releases in 15m at <time> unless new activity arrives',
        '<time> [self-hosted-runner] [runner:session] <session> child exited pid=<pid> code=0 (completed)',
        '<time> [self-hosted-runner] Session <session> finished: completed',
        '<time> [self-hosted-runner] [runner:exit] account workload drained — exiting (grace=0, no re-poll). Orchestrator will restart.',
        '<time> [self-hosted-runner] [runner:exit] Deregistered',
      ]);
      expect(standIn).toEqual(real);
    });

    it('a drain with a session in flight: the same lines, the child ended by the runner, exit 0', async () => {
      const extra = ['--health-port', '0', '--api-url', double.url, '--exec-path', claude];
      const env = { STANDIN_SESSION_SEC: '60', STANDIN_SESSION_AFTER_MS: '100' };
      await double.createSession();
      const results = await bothDrained('drain', extra, 'session-then-drain', /idle clock armed \(startup\)/, { env });
      expect(results.real.exitCode).toBe(0);
      expect(results.real.lines).toContain('stdout <time> [self-hosted-runner] Drain complete');
      expect(results['stand-in']).toEqual(results.real);
    });

    it('a refused work order: the same fatal line and exit code', async () => {
      for (const [reason, refuse] of [
        ['superseded', async (jti: string) => void (await double.changeOrder(jti, { supersede: true }))],
        ['session_not_active', async (_jti: string, session: string) => void (await double.closeSession(session))],
      ] as const) {
        const order = await double.mintOrder();
        await refuse(order.jti, order.sessionId ?? '');
        const orderFile = path.join(ns.dir, `order-${reason}`);
        fs.writeFileSync(orderFile, `${order.jwt}\n`, { mode: 0o600 });
        const extra = ['--health-port', '0', '--api-url', double.url, '--environment-secret-file', orderFile];
        const env = { STANDIN_ORDER_REFUSAL: reason };
        const real = await finished('real', `order-${reason}`, extra, 'order-refused', env);
        const standIn = await finished('stand-in', `order-${reason}`, extra, 'order-refused', env);
        expect(real.stdout.at(-1), reason).toMatch(/\[runner:fatal\] RegisterRunner refused because /);
        expect(standIn, reason).toEqual(real);
      }
    });
  });
});
