import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadRunnerConfig } from '../../../../supervisor/src/config/config.js';
import type { HttpClient } from '../../../../supervisor/src/coder-api/http.js';
import { Supervisor, systemRuntime, type SupervisorRuntime } from '../../../../supervisor/src/executor/executor.js';
import { RunnerRole } from '../../../../supervisor/src/roles/runner/runner-role.js';
import type { RunnerRoleRuntime } from '../../../../supervisor/src/roles/runner/runner-runtime.js';
import { readIsolationRecord } from '../../../../supervisor/src/workspace/isolation.js';
import type { ProcessExit, ProcessHandle } from '../../../../supervisor/src/process/supervised-process.js';
import { createSilentLogger } from '../../../../supervisor/src/shared/log.js';
import { statePaths } from '../../../../supervisor/src/state/paths.js';
import { readStatus } from '../../../../supervisor/src/state/status-store.js';

/** The executor on a fake clock: runners and the Coder API are injected, nothing is spawned. */
const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

interface FakeRunner extends ProcessHandle {
  exit(code: number): void;
  signals: string[];
}

function fakeRunner(pid: number, now: () => number, onDrain?: (r: FakeRunner) => void): FakeRunner {
  let resolve: (exit: ProcessExit) => void = () => undefined;
  let alive = true;
  const started = now();
  const runner: FakeRunner = {
    pid,
    signals: [],
    exited: new Promise<ProcessExit>((r) => {
      resolve = r;
    }),
    isAlive: () => alive,
    signalDrain: () => {
      runner.signals.push('SIGTERM');
      onDrain?.(runner);
    },
    killGroup: () => {
      runner.signals.push('SIGKILL');
    },
    exit: (code) => {
      if (!alive) return;
      alive = false;
      resolve({ exitCode: code, signal: undefined, runtimeMs: now() - started, spawnError: undefined });
    },
  };
  return runner;
}

function setup(flags: string[]) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'csr-exec-'));
  dirs.push(home);
  const { config } = loadRunnerConfig(['--docker-socket', path.join(home, 'none.sock'), ...flags], {
    HOME: home,
    CLAUDE_POOL_SECRET: 'pool',
    CODER_SELF_TOKEN: 'token',
    CODER_WORKSPACE_ID: '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
    CODER_AGENT_URL: 'http://127.0.0.1:9/',
  });
  const paths = statePaths(config);
  fs.mkdirSync(paths.stateDir, { recursive: true });
  fs.mkdirSync(paths.itemsDir, { recursive: true });
  fs.mkdirSync(paths.logDir, { recursive: true });
  const runners: FakeRunner[] = [];
  const requests: { method: string; url: string }[] = [];
  const http: HttpClient = {
    send: (method, url) => {
      requests.push({ method, url });
      return Promise.resolve({ status: 201, retryAfter: undefined, body: '{}' });
    },
  };
  let nextPid = 1000;
  const runtime: SupervisorRuntime & RunnerRoleRuntime = {
    ...systemRuntime,
    now: () => Date.now(),
    random: () => 0.5,
    env: { HOME: home },
    pid: 1,
    spawnProcess: (options) => {
      const runner = fakeRunner((nextPid += 1), options.now, (r) => setTimeout(() => r.exit(0), 2000));
      runners.push(runner);
      return runner;
    },
    detectRunnerVersion: () => Promise.resolve({ raw: '2.1.330 (Claude Code)', parts: [2, 1, 330] }),
    fetchHealth: () => Promise.resolve(undefined),
    fetchMetrics: () => Promise.resolve(undefined),
    http,
    preflightProblems: () => Promise.resolve([]),
    checkToken: () => Promise.resolve({ verdict: 'ok' }),
    isSameProcessAlive: () => false,
    processStartTime: () => '1',
  };
  const log = createSilentLogger();
  const isolation = readIsolationRecord(config, paths);
  const role = new RunnerRole(config, paths, isolation, log, runtime);
  const supervisor = new Supervisor(config, paths, log, runtime, { isolation }, role);
  return { supervisor, runners, requests, paths };
}

describe('the supervisor executor (fake clock, injected runtime)', () => {
  it('restarts crashes with backoff, quarantines a crash loop, and self-evicts after the quarantine', async () => {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    const { supervisor, runners, requests, paths } = setup([
      '--crash-loop-threshold',
      '3',
      '--quarantine-min',
      '1',
      '--health-interval-sec',
      '300',
    ]);
    const exit = supervisor.run();
    for (let crash = 0; crash < 3; crash += 1) {
      await vi.advanceTimersByTimeAsync(1);
      expect(runners).toHaveLength(crash + 1);
      runners[crash]?.exit(1);
      await vi.advanceTimersByTimeAsync(1);
      // Equal jitter at random 0.5 is 3/4 of the nominal 5 s, 10 s delay.
      if (crash < 2) await vi.advanceTimersByTimeAsync(crash === 0 ? 3750 : 7500);
    }
    expect(runners).toHaveLength(3);
    expect(readStatus(paths)?.state).toBe('quarantined');
    expect(requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await exit).toBe(0);
    expect(requests.map((r) => r.method)).toEqual(['POST']);
    expect(readStatus(paths)).toMatchObject({ state: 'evicted', restarts: 2, eviction: { outcome: 'succeeded' } });
  });

  it('a stop drains the runner with one SIGTERM and never self-evicts', async () => {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    const { supervisor, runners, requests, paths } = setup([]);
    const exit = supervisor.run();
    await vi.advanceTimersByTimeAsync(1);
    supervisor.requestStop('SIGTERM');
    await vi.advanceTimersByTimeAsync(2500);
    expect(await exit).toBe(0);
    expect(runners[0]?.signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(requests).toHaveLength(0);
    expect(readStatus(paths)?.state).toBe('stopped');
  });

  it('a lock recorded by the session wrapper makes any runner exit a self-eviction', async () => {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    const { supervisor, runners, requests, paths } = setup([]);
    const exit = supervisor.run();
    await vi.advanceTimersByTimeAsync(1);
    fs.writeFileSync(paths.lockedFlag, '1');
    runners[0]?.exit(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(await exit).toBe(0);
    expect(requests).toHaveLength(1);
    expect(readStatus(paths)).toMatchObject({ state: 'evicted', locked: true, lockSource: 'session wrapper' });
  });
});
