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
  startApiDouble,
  writeSecret,
  type Started,
} from '../helpers/real-runner.js';

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

  function start(who: Who, name: string, extra: string[], scenario: string): { run: Started; dir: string } {
    const dir = path.join(ns.dir, `${name}-${who}`);
    const args = runArgs(dir, extra);
    const child = who === 'real' ? ns.runClaude(args) : runStandIn(ns, args, scenario);
    return { run: follow(child), dir };
  }

  async function finished(who: Who, name: string, extra: string[], scenario: string) {
    const { run, dir } = start(who, name, extra, scenario);
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
      const results: Record<Who, { exitCode: number | undefined; lines: string[] }> = {
        real: { exitCode: undefined, lines: [] },
        'stand-in': { exitCode: undefined, lines: [] },
      };
      for (const who of ['real', 'stand-in'] as const) {
        const { run, dir } = start(who, 'busy-port', extra, 'idle');
        await run.waitForLine(/healthz listener failed/);
        await new Promise((resolve) => setTimeout(resolve, 500));
        run.kill('SIGTERM');
        const outcome = await run.done;
        results[who] = {
          exitCode: outcome.exitCode,
          lines: run.lines.map((l) => `${l.stream} ${comparable(l.text, dir)}`),
        };
      }
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
});
