// Helpers for the tests of the real runner: everything here runs through the network guard.
import fs from 'node:fs';
import path from 'node:path';
import { LoopbackNamespace, guardRunnerArgs, repoRoot } from './network-guard.js';

export { LoopbackNamespace };

export const fixtures = path.join(repoRoot, 'tests', 'fixtures');
export const standInRunner = path.join(fixtures, 'stand-in-runner.mjs');
export const standInClaude = path.join(fixtures, 'stand-in-claude.sh');
export const apiDouble = path.join(fixtures, 'anthropic-api-double.mjs');

/** A secret file with a value that is obviously not a secret. */
export function writeSecret(dir: string, value = 'csr-test-environment-secret-not-real'): string {
  const file = path.join(dir, `secret-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return file;
}

export interface Line {
  at: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface Started {
  lines: Line[];
  startedAt: number;
  pid: number | undefined;
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<Line>;
  kill(signal: NodeJS.Signals): void;
  done: Promise<{ exitCode: number | undefined; signal: string | undefined; endedAt: number }>;
}

type Spawned = ReturnType<LoopbackNamespace['run']>;

/** Follows a guarded process line by line (both streams, with arrival times). */
export function follow(child: Spawned): Started {
  const lines: Line[] = [];
  const waiters: { pattern: RegExp; resolve: (line: Line) => void }[] = [];
  const startedAt = Date.now();
  const attach = (stream: 'stdout' | 'stderr') => {
    let rest = '';
    child[stream]?.on('data', (chunk: Buffer) => {
      rest += chunk.toString('utf8');
      let nl = rest.indexOf('\n');
      while (nl !== -1) {
        const line: Line = { at: Date.now(), stream, text: rest.slice(0, nl) };
        rest = rest.slice(nl + 1);
        lines.push(line);
        for (const waiter of [...waiters]) {
          if (waiter.pattern.test(line.text)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(line);
          }
        }
        nl = rest.indexOf('\n');
      }
    });
  };
  attach('stdout');
  attach('stderr');
  const done = child.then((result) => ({
    exitCode: result.exitCode,
    signal: result.signal,
    endedAt: Date.now(),
  }));
  return {
    lines,
    startedAt,
    pid: child.pid,
    done,
    kill: (signal) => child.kill(signal),
    waitForLine(pattern, timeoutMs = 60_000) {
      const seen = lines.find((line) => pattern.test(line.text));
      if (seen) return Promise.resolve(seen);
      return new Promise<Line>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(
              `no line matching ${pattern} within ${timeoutMs} ms; got:\n${lines.map((l) => l.text).join('\n')}`,
            ),
          );
        }, timeoutMs);
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void done.then(() => {
          // The process ended without the line: fail at once instead of waiting out the timeout.
          setTimeout(() => {
            clearTimeout(timer);
            reject(
              new Error(
                `process ended without a line matching ${pattern}; got:\n${lines.map((l) => l.text).join('\n')}`,
              ),
            );
          }, 50);
        });
      });
    },
  };
}

/** Starts the Anthropic API double inside the namespace and waits until it listens. */
export async function startApiDouble(
  ns: LoopbackNamespace,
  port: number,
  mode: 'ok' | 'bad-secret' | 'not-enabled' | 'token-expired',
): Promise<{ url: string; stop(): Promise<void>; requests(): { method: string; path: string }[] }> {
  const child = ns.run(process.execPath, [apiDouble, String(port), mode]);
  const followed = follow(child);
  await followed.waitForLine(/^listening \d+$/, 15_000);
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () =>
      followed.lines
        .filter((line) => line.text.startsWith('{'))
        .map((line) => JSON.parse(line.text) as { method: string; path: string }),
    stop: async () => {
      followed.kill('SIGTERM');
      await followed.done;
    },
  };
}

/** Holds a TCP port inside the namespace, on every interface, as a busy port would be. */
export async function holdPort(ns: LoopbackNamespace, port: number): Promise<{ release(): Promise<void> }> {
  const script =
    "const s = require('node:net').createServer(); s.listen(Number(process.argv[1]), () => console.log('held'));";
  const child = ns.run(process.execPath, ['-e', script, String(port)]);
  const followed = follow(child);
  await followed.waitForLine(/^held$/, 15_000);
  return {
    release: async () => {
      followed.kill('SIGKILL');
      await followed.done;
    },
  };
}

/** The runner's line format, stdout and --log-file alike: `<ISO time> [self-hosted-runner] <text>`. */
export const runnerLinePrefix = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z \[self-hosted-runner\] /;

export function withoutPrefix(text: string): string {
  return text.replace(runnerLinePrefix, '');
}

/**
 * A run's lines made comparable between the real runner and the stand-in: no timestamps, the
 * run's folder as <run>, and the values that differ by nature (runner id, exec path, uptime,
 * session ids, process ids, the API URL, the idle clock's time).
 */
export function comparable(text: string, runDir: string): string {
  return text
    .replace(runnerLinePrefix, '<time> [self-hosted-runner] ')
    .split(runDir)
    .join('<run>')
    .replace(/execPath=[^)]*\)/, 'execPath=<exec>)')
    .replace(/runner_id=ccrunner_\w+/, 'runner_id=<id>')
    .replace(/uptime \d+s/, 'uptime <n>s')
    .replace(/\bcse_01\w{22}\b/g, '<session>')
    .replace(/\bpid=\d+/g, 'pid=<pid>')
    .replace(/http:\/\/127\.0\.0\.1:\d+/g, '<api>')
    .replace(/ at \d{4}-\d{2}-\d{2}T[\d:.]+Z unless/, ' at <time> unless');
}

/** Runs the stand-in runner in the namespace, with the same guard as the real one. */
export function runStandIn(
  ns: LoopbackNamespace,
  args: readonly string[],
  scenario: string,
  extraEnv: Record<string, string> = {},
): ReturnType<LoopbackNamespace['run']> {
  return ns.run(process.execPath, [standInRunner, ...guardRunnerArgs(args)], {
    env: { STANDIN_SCENARIOS: scenario, ...extraEnv },
  });
}
