// (c) Registration that cannot reach Anthropic: run once (about 15 s), shared by the assertions.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedLoopbackPort } from '../helpers/network-guard.js';
import {
  LoopbackNamespace,
  comparable,
  follow,
  runStandIn,
  runnerLinePrefix,
  withoutPrefix,
  writeSecret,
  type Line,
} from '../helpers/real-runner.js';

const healthPort = 18080;
const unreachable = `connect ECONNREFUSED 127.0.0.1:${closedLoopbackPort}`;

describe('the real runner when registration cannot reach the API', () => {
  let ns: LoopbackNamespace;
  let lines: Line[];
  let outcome: { exitCode: number | undefined; signal: string | undefined; endedAt: number };
  let startedAt: number;
  let healthDuringRegistration: unknown[];
  let logFile: string;
  let secretFile: string;
  const argsFor = (runDir: string) => [
    'self-hosted-runner',
    '--environment-secret-file',
    secretFile,
    '--base-dir',
    path.join(runDir, 'base'),
    '--log-file',
    path.join(runDir, 'runner.log'),
    '--health-port',
    String(healthPort),
    '--capacity',
    '1',
  ];

  beforeAll(async () => {
    ns = await LoopbackNamespace.create();
    secretFile = writeSecret(ns.dir);
    const runDir = path.join(ns.dir, 'real');
    fs.mkdirSync(runDir);
    logFile = path.join(runDir, 'runner.log');
    const runner = follow(ns.runClaude(argsFor(runDir)));
    startedAt = runner.startedAt;
    healthDuringRegistration = [];
    await runner.waitForLine(/RegisterRunner attempt 1 /);
    healthDuringRegistration.push(await ns.httpGet(`http://127.0.0.1:${healthPort}/healthz`));
    await runner.waitForLine(/RegisterRunner attempt 3 /);
    healthDuringRegistration.push(await ns.httpGet(`http://127.0.0.1:${healthPort}/healthz`));
    outcome = await runner.done;
    lines = runner.lines;
  }, 120_000);
  afterAll(() => ns?.close());

  const texts = (stream?: 'stdout' | 'stderr') =>
    lines.filter((line) => !stream || line.stream === stream).map((line) => withoutPrefix(line.text));

  it('exits 1 after the fatal line', () => {
    expect(outcome.exitCode).toBe(1);
    expect(outcome.signal).toBeUndefined();
    expect(texts().at(-1)).toBe(`[runner:fatal] RegisterRunner failed: ${unreachable}`);
  });

  it('logs four transient failures, then gives up on the fifth attempt', () => {
    const transient = texts().filter((text) => text.includes('transient failure'));
    expect(transient).toEqual(
      [1, 2, 3, 4].map((n) => `RegisterRunner attempt ${n} transient failure (${unreachable}) — retrying`),
    );
    // Backoff 1, 2, 4, 8 s (with jitter): the whole run takes seconds, not milliseconds.
    expect(outcome.endedAt - startedAt).toBeGreaterThan(3_000);
  });

  it('says at start how long it needs to drain', () => {
    expect(texts()[0]).toMatch(
      /^\[runner\] This runner needs up to 80s to stop the Claude process and run the post-session hook on shutdown, and force-exits after 80s \(a session release already in flight when shutdown begins can add up to 20s/,
    );
  });

  it('writes every line to stdout, none to stderr, each with a timestamp and [self-hosted-runner]', () => {
    expect(texts('stderr')).toEqual([]);
    for (const line of lines) expect(line.text).toMatch(runnerLinePrefix);
    expect(texts()).toContain(
      `[runner:warn] connectivity: 127.0.0.1:${closedLoopbackPort} — the connection could not be opened (ECONNREFUSED); check that outbound connections to 127.0.0.1:${closedLoopbackPort} are allowed. A proxy is set: if this host should be reached through it, check NO_PROXY, and that the setting is a whole URL. See https://code.claude.com/docs/en/self-hosted-environments-deploy#network-requirements`,
    );
  });

  it('tees the same lines to --log-file, created 0600', () => {
    const logged = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n');
    expect(logged).toEqual(lines.map((line) => line.text));
    expect(fs.statSync(logFile).mode & 0o777).toBe(0o600);
  });

  it('has no /healthz while it registers', () => {
    expect(healthDuringRegistration).toEqual([undefined, undefined]);
  });

  // Parity: the stand-in's `unreachable` scenario prints the same lines, in the same places.
  it('is what the stand-in runner prints for its unreachable scenario', async () => {
    const realDir = path.join(ns.dir, 'real');
    const standInDir = path.join(ns.dir, 'stand-in');
    fs.mkdirSync(standInDir);
    const standIn = follow(runStandIn(ns, argsFor(standInDir), 'unreachable', { STANDIN_REGISTER_RETRY_MS: '50' }));
    const standInOutcome = await standIn.done;
    expect(standInOutcome.exitCode).toBe(outcome.exitCode);
    const view = (all: Line[], dir: string) => all.map((line) => `${line.stream} ${comparable(line.text, dir)}`);
    expect(view(standIn.lines, standInDir)).toEqual(view(lines, realDir));
    const logged = (dir: string) =>
      fs
        .readFileSync(path.join(dir, 'runner.log'), 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => comparable(line, dir));
    expect(logged(standInDir)).toEqual(logged(realDir));
  });
});
