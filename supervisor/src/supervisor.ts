import fs from 'node:fs';
import { equalJitter } from './backoff.js';
import type { SupervisorConfig } from './config.js';
import { describeError } from './errors.js';
import { defaultEvictionTiming, evictWorkspace, fetchHttpClient, type EvictionResult } from './eviction.js';
import { fetchHealth, fetchMetrics, showsLock } from './health.js';
import type { Logger } from './log.js';
import type { StatePaths } from './paths.js';
import {
  initialPolicyState,
  isFinal,
  transition,
  type Effect,
  type PolicyEvent,
  type PolicyOptions,
  type PolicyState,
} from './policy.js';
import { preflightProblems } from './preflight.js';
import { isSameProcessAlive, processStartTime } from './process-info.js';
import { buildRunnerArgs, runnerEnvironment } from './runner-args.js';
import { adoptRunner, spawnRunner, type RunnerHandle } from './runner-process.js';
import { detectRunnerVersion, secretFlagFor, type RunnerVersion } from './runner-version.js';
import { emptyStatus, type SupervisorStatus } from './status.js';
import { StatusStore, readStatus } from './status-store.js';
import { writeFileAtomically } from './atomic-file.js';

/** How many health polls go by between two reads of /metrics. */
const metricsEveryPolls = 6;

/** Grace after --retire-at before the supervisor drains an idle runner that did not retire. */
const lifetimeGraceMs = 60_000;

export interface SupervisorRuntime {
  now: () => number;
  random: () => number;
  env: NodeJS.ProcessEnv;
}

export const systemRuntime: SupervisorRuntime = { now: Date.now, random: Math.random, env: process.env };

/**
 * Executes the policy's effects: runs the runner, watches it, persists state, self-evicts.
 * `run()` resolves with the exit code once the policy reaches a final phase.
 */
export class Supervisor {
  private state: PolicyState = initialPolicyState;
  private readonly policy: PolicyOptions;
  private readonly store: StatusStore;
  private status: SupervisorStatus;
  private runner: RunnerHandle | undefined;
  private runnerVersion: RunnerVersion | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private quarantineTimer: NodeJS.Timeout | undefined;
  private lifetimeTimer: NodeJS.Timeout | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private lockWatcher: fs.FSWatcher | undefined;
  private eviction: Promise<void> | undefined;
  private resolveExit: ((code: number) => void) | undefined;
  private exiting = false;
  /** Holds the event loop open in phases that wait on nothing (a quarantine that never ends). */
  private keepAlive: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: SupervisorConfig,
    private readonly paths: StatePaths,
    private readonly log: Logger,
    private readonly runtime: SupervisorRuntime = systemRuntime,
  ) {
    this.policy = { ...config.restart, quarantineMs: config.quarantineMs };
    this.store = new StatusStore(paths, log);
    this.status = emptyStatus(new Date(runtime.now()));
  }

  run(): Promise<number> {
    const exit = new Promise<number>((resolve) => {
      this.resolveExit = resolve;
    });
    this.keepAlive = setInterval(() => undefined, 1 << 30);
    const previous = readStatus(this.paths);
    const locked = fs.existsSync(this.paths.lockedFlag) || previous?.locked === true;
    const previousEviction = previous?.eviction?.outcome;
    const alreadyEvicted = previousEviction === 'succeeded' || previousEviction === 'already-deleted';
    const retireAt = this.retireAt(previous);
    const orphan =
      previous?.runnerPid !== undefined && isSameProcessAlive(previous.runnerPid, previous.runnerStartTime)
        ? previous.runnerPid
        : undefined;
    this.status = {
      ...emptyStatus(new Date(this.runtime.now())),
      locked,
      lockSource: previous?.lockSource,
      runnerId: previous?.runnerId,
      sessionsSeen: previous?.sessionsSeen ?? 0,
      eviction: previous?.eviction,
      capacity: this.config.capacity,
      supervisorPid: process.pid,
      retireAtEpochSec: retireAt === undefined ? undefined : Math.floor(retireAt / 1000),
      startedAt: new Date(this.runtime.now()).toISOString(),
      // An adopted runner is in the very first status written, so `stop` can always find it.
      ...(orphan === undefined
        ? {}
        : { runnerPid: orphan, runnerStartTime: previous?.runnerStartTime, runnerVersion: previous?.runnerVersion }),
    };
    this.log.info({ locked, alreadyEvicted, retireAt: this.status.retireAtEpochSec }, 'supervisor started');
    const problems = locked || alreadyEvicted || orphan !== undefined ? [] : preflightProblems(this.config);
    for (const problem of problems) this.log.error({ problem }, 'preflight check failed');
    if (retireAt !== undefined && !locked) this.armLifetimeTimer(retireAt);
    this.dispatch({
      type: 'boot',
      locked,
      alreadyEvicted,
      preflightProblems: problems,
      lifetimeOver: retireAt !== undefined && this.runtime.now() >= retireAt,
      adoptedRunner: orphan !== undefined,
    });
    if (orphan !== undefined && previous) {
      this.log.warn(
        { pid: orphan },
        'a runner from an earlier supervisor is still running; watching it instead of starting another',
      );
      const runner = adoptRunner(orphan, () => isSameProcessAlive(orphan, previous.runnerStartTime), this.runtime.now);
      void this.superviseRunner(runner);
    }
    return exit;
  }

  /** SIGTERM/SIGINT to the supervisor, or `stop`: drain the runner, do not self-evict. */
  requestStop(signal: string): void {
    this.log.info({ signal }, 'stop requested');
    this.dispatch({ type: 'stop-requested' });
  }

  private retireAt(previous: SupervisorStatus | undefined): number | undefined {
    if (this.config.maxLifetimeMs <= 0) return undefined;
    // Keep the first start's deadline across supervisor restarts, so a restart cannot extend it.
    if (previous?.retireAtEpochSec !== undefined) return previous.retireAtEpochSec * 1000;
    return this.runtime.now() + this.config.maxLifetimeMs;
  }

  private armLifetimeTimer(retireAt: number): void {
    const delay = Math.max(0, retireAt - this.runtime.now()) + lifetimeGraceMs;
    this.lifetimeTimer = setTimeout(() => this.dispatch({ type: 'lifetime-elapsed' }), delay);
    this.lifetimeTimer.unref();
  }

  private dispatch(event: PolicyEvent): void {
    if (this.exiting) return;
    const before = this.state;
    const { state, effects } = transition(before, event, this.policy);
    this.state = state;
    if (state.phase !== before.phase || state.reason !== before.reason) {
      this.log.info(
        { event: event.type, from: before.phase, to: state.phase, reason: state.reason },
        'state transition',
      );
    }
    this.syncStatus();
    for (const effect of effects) this.execute(effect);
  }

  private syncStatus(): void {
    this.status = {
      ...this.status,
      state: this.state.phase,
      reason: this.state.reason,
      locked: this.status.locked || this.state.locked,
      restarts: this.state.restarts,
      lastError: this.state.lastError ?? this.status.lastError,
      updatedAt: new Date(this.runtime.now()).toISOString(),
    };
    void this.store.save(this.status);
  }

  private execute(effect: Effect): void {
    switch (effect.type) {
      case 'spawn-runner':
        void this.startRunner();
        return;
      case 'schedule-restart': {
        const delay = equalJitter(effect.delayMs, this.runtime.random);
        this.log.info({ delayMs: delay }, 'runner restart scheduled');
        this.restartTimer = setTimeout(() => this.dispatch({ type: 'backoff-elapsed' }), delay);
        return;
      }
      case 'schedule-quarantine':
        this.quarantineTimer = setTimeout(() => this.dispatch({ type: 'quarantine-elapsed' }), effect.delayMs);
        return;
      case 'cancel-timers':
        clearTimeout(this.restartTimer);
        clearTimeout(this.quarantineTimer);
        return;
      case 'drain-runner':
        this.drainRunner();
        return;
      case 'persist-lock':
        void this.persistLock(effect.source);
        return;
      case 'evict':
        this.eviction ??= this.evict(effect.reason);
        return;
      case 'exit':
        void this.exit(effect.code);
        return;
    }
  }

  private async startRunner(): Promise<void> {
    try {
      this.runnerVersion ??= await detectRunnerVersion(this.config.runnerBinary);
    } catch (error) {
      this.runnerVersion = { raw: `unknown (${describeError(error)})`, parts: undefined };
    }
    const version = this.runnerVersion;
    const secretFlag = secretFlagFor(version);
    if (!version.parts)
      this.log.warn({ output: version.raw }, 'could not read the runner version; assuming a current runner');
    const args = buildRunnerArgs({
      secretFlag,
      secretFile: this.paths.secretFile,
      capacity: this.config.capacity,
      wrapper: this.paths.wrapper,
      runnerLog: this.paths.runnerLog,
      healthPort: this.config.healthPort,
      baseDir: this.config.baseDir,
      retireAtEpochSec: this.status.retireAtEpochSec,
    });
    const runner = spawnRunner({
      binary: this.config.runnerBinary,
      args,
      env: runnerEnvironment(this.runtime.env),
      outputFile: this.paths.runnerOutput,
      cwd: this.config.baseDir,
      now: this.runtime.now,
    });
    this.runner = runner;
    this.status = {
      ...this.status,
      runnerPid: runner.pid,
      runnerStartTime: runner.pid === undefined ? undefined : processStartTime(runner.pid),
      runnerVersion: version.raw,
      activeSessions: undefined,
      lastPollAgeMs: undefined,
    };
    if (runner.pid !== undefined) {
      this.log.info({ pid: runner.pid, version: version.raw, secretFlag, args }, 'runner started');
      this.dispatch({ type: 'runner-spawned' });
    }
    await this.superviseRunner(runner);
  }

  /** Watches a live runner until it exits, then cleans up its process group and reports. */
  private async superviseRunner(runner: RunnerHandle): Promise<void> {
    this.runner = runner;
    if (runner.pid !== undefined) this.startWatching(runner);
    const exit = await runner.exited;
    this.stopWatching();
    clearTimeout(this.drainTimer);
    // Sessions left behind by a crashed runner would outlive it: clear the whole group.
    runner.killGroup();
    this.runner = undefined;
    this.status = { ...this.status, runnerPid: undefined, runnerStartTime: undefined, activeSessions: undefined };
    this.log.info({ ...exit }, 'runner exited');
    this.refreshLockFromFiles();
    this.dispatch({ type: 'runner-exited', ...exit });
  }

  private drainRunner(): void {
    const runner = this.runner;
    if (!runner) return;
    this.log.info({ pid: runner.pid, drainTimeoutMs: this.config.drainTimeoutMs }, 'draining the runner (one SIGTERM)');
    runner.signalDrain();
    clearTimeout(this.drainTimer);
    this.drainTimer = setTimeout(() => {
      if (!runner.isAlive()) return;
      this.log.warn({ pid: runner.pid }, 'drain timeout passed; killing the runner process group');
      runner.killGroup();
    }, this.config.drainTimeoutMs);
  }

  private startWatching(runner: RunnerHandle): void {
    try {
      this.lockWatcher = fs.watch(this.paths.stateDir, (_event, name) => {
        if (name === 'locked') this.refreshLockFromFiles();
      });
      this.lockWatcher.on('error', () => undefined);
    } catch {
      // Polling below still sees the flag.
    }
    let polls = 0;
    const poll = async (): Promise<void> => {
      if (!runner.isAlive()) return;
      this.refreshLockFromFiles();
      // /healthz every time; /metrics (a third witness of the lock) every few polls, which keeps
      // an idle supervisor's CPU down.
      const withMetrics = polls % metricsEveryPolls === 0;
      polls += 1;
      const [health, metrics] = await Promise.all([
        fetchHealth(this.config.healthPort),
        withMetrics ? fetchMetrics(this.config.healthPort) : Promise.resolve(undefined),
      ]);
      if (!runner.isAlive()) return;
      const source = showsLock(health, metrics);
      if (source) this.dispatch({ type: 'lock-observed', source });
      this.status = {
        ...this.status,
        runnerId: health?.runnerId ?? this.status.runnerId,
        activeSessions: health?.activeSessions ?? (health ? this.status.activeSessions : undefined),
        lastPollAgeMs: health?.lastPollAgeMs,
        healthStatus: health?.status ?? 'unreachable',
        healthCheckedAt: new Date(this.runtime.now()).toISOString(),
        // The wrapper appends to the sessions file just before it records the lock, so an unlocked
        // workspace has none to read (refreshLockFromFiles counts them when the lock appears).
        sessionsSeen: Math.max(
          this.status.sessionsSeen,
          metrics?.sessionsStarted ?? 0,
          this.state.locked ? this.countSessionLines() : 0,
        ),
      };
      this.syncStatus();
    };
    const loop = (): void => {
      this.pollTimer = setTimeout(() => {
        void poll().finally(() => {
          if (runner.isAlive() && this.runner === runner) loop();
        });
      }, this.config.healthIntervalMs);
    };
    void poll();
    loop();
  }

  private stopWatching(): void {
    clearTimeout(this.pollTimer);
    this.lockWatcher?.close();
    this.lockWatcher = undefined;
  }

  private countSessionLines(): number {
    try {
      return fs
        .readFileSync(this.paths.sessionsFile, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '').length;
    } catch {
      return 0;
    }
  }

  /** The wrapper's own record of a session start: the surest, earliest evidence of the lock. */
  private refreshLockFromFiles(): void {
    if (this.state.locked) return;
    if (fs.existsSync(this.paths.lockedFlag)) {
      this.status = {
        ...this.status,
        lockSource: 'session wrapper',
        sessionsSeen: Math.max(this.status.sessionsSeen, this.countSessionLines()),
      };
      this.dispatch({ type: 'lock-observed', source: 'session wrapper' });
    }
  }

  private async persistLock(source: string): Promise<void> {
    this.status = { ...this.status, locked: true, lockSource: this.status.lockSource ?? source };
    this.log.info({ source }, 'workspace locked to a user');
    this.syncStatus();
    if (fs.existsSync(this.paths.lockedFlag)) return;
    try {
      await writeFileAtomically(this.paths.lockedFlag, `${Math.floor(this.runtime.now() / 1000)} ${source}\n`, 0o600);
    } catch (error) {
      this.log.error({ err: error }, 'could not persist the lock flag; status.json still records it');
    }
  }

  private async evict(reason: string): Promise<void> {
    const verifyFirst = this.status.eviction?.outcome === 'pending';
    this.log.info({ reason, verifyFirst }, 'self-evicting');
    this.status = {
      ...this.status,
      eviction: {
        outcome: 'pending',
        attempts: 0,
        lastStatus: undefined,
        message: reason,
        at: new Date(this.runtime.now()).toISOString(),
      },
    };
    this.syncStatus();
    await this.store.settled();
    let result: EvictionResult;
    try {
      result = await evictWorkspace(
        {
          agentUrl: this.config.agentUrl,
          workspaceId: this.config.workspaceId,
          token: this.config.selfToken,
          deadlineMs: this.config.evictionDeadlineMs,
          ...defaultEvictionTiming,
          baseDelayMs: this.config.evictionRetryBaseMs,
          requestTimeoutMs: this.config.evictionRequestTimeoutMs,
          activeBuildDelayMs: this.config.evictionRetryBaseMs * 5,
          verifyFirst,
        },
        {
          http: fetchHttpClient,
          now: this.runtime.now,
          random: this.runtime.random,
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
          onAttempt: ({ attempt, verdict, status, waitMs }) =>
            this.log.info({ attempt, verdict: verdict.kind, status, waitMs }, 'eviction attempt'),
        },
      );
    } catch (error) {
      result = { outcome: 'failed', attempts: 0, lastStatus: undefined, message: describeError(error), durationMs: 0 };
    }
    const level = result.outcome === 'failed' ? 'error' : 'info';
    this.log[level]({ ...result }, 'self-eviction finished');
    this.status = {
      ...this.status,
      eviction: {
        outcome: result.outcome,
        attempts: result.attempts,
        lastStatus: result.lastStatus,
        message: result.message,
        at: new Date(this.runtime.now()).toISOString(),
      },
    };
    this.dispatch({ type: 'eviction-finished', succeeded: result.outcome !== 'failed', message: result.message });
  }

  private async exit(code: number): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    for (const timer of [this.restartTimer, this.quarantineTimer, this.lifetimeTimer, this.drainTimer])
      clearTimeout(timer);
    clearInterval(this.keepAlive);
    this.stopWatching();
    await this.store.settled();
    this.log.info({ code, state: this.state.phase, final: isFinal(this.state.phase) }, 'supervisor exiting');
    this.resolveExit?.(code);
  }
}
