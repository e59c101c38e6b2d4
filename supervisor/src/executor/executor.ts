import fs from 'node:fs';
import type { SupervisorConfig } from '../config/config.js';
import { evictionOptionsFrom } from '../eviction/eviction-options.js';
import { evictWorkspace, type EvictionResult } from '../eviction/evict-workspace.js';
import type { HttpClient } from '../coder-api/http.js';
import { fetchHttpClient } from '../coder-api/http.js';
import { checkSelfEvictToken, type TokenCheck, type TokenCheckOptions } from '../eviction/token-check.js';
import {
  fetchHealth,
  fetchMetrics,
  showsLock,
  type HealthSnapshot,
  type MetricsSnapshot,
} from '../roles/runner/health.js';
import { preflightProblems, type PreflightOptions } from '../roles/runner/preflight.js';
import { buildRunnerArgs, runnerEnvironment } from '../roles/runner/runner-args.js';
import { classifyRunnerExit, registrationProgress } from '../roles/runner/classify-exit.js';
import { RunnerLogReader, capRunnerLog } from '../process/runner-log.js';
import { adoptRunner, spawnRunner, type RunnerHandle, type SpawnRunnerOptions } from '../process/runner-process.js';
import { detectRunnerVersion, secretFlagFor, type RunnerVersion } from '../roles/runner/runner-version.js';
import { RunnerWatch, readSessionsRecord, type WatchReport } from '../roles/runner/runner-watch.js';
import { writeFileAtomically } from '../shared/atomic-file.js';
import { describeError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import { isSameProcessAlive, processStartTime } from '../shared/process-info.js';
import { setLongTimeout, type LongTimer } from '../shared/timers.js';
import type { StatePaths } from '../state/paths.js';
import { projectStatus, type Observations } from '../lifecycle/status-projection.js';
import { evictionStarted } from '../state/status.js';
import { StatusStore, readStatus } from '../state/status-store.js';
import { equalJitter } from '../shared/jitter.js';
import { readIsolationRecord, type IsolationRecord } from '../workspace/isolation.js';
import { isolationLabel, isolationRunAs, killRunnerUserProcesses } from '../workspace/runner-user.js';
import { isolatedHandle, isolatedRunnerEnvironment, runnerSpawnOptions } from '../process/run-as-user.js';
import { baseDirTraces, recordsLeft, type PriorUse } from '../workspace/usage-evidence.js';
import { planBoot } from '../lifecycle/boot.js';
import { RunnerLiveness } from '../roles/runner/runner-liveness.js';
import { stoppedProcess } from '../process/process-state.js';
import { retiredAtCap, runnerCap, type RunnerCap } from './runner-cap.js';
import {
  initialPolicyState,
  isFinal,
  transition,
  type Effect,
  type PolicyEvent,
  type PolicyOptions,
  type PolicyState,
} from '../lifecycle/policy.js';

/** The runner's log is kept to about twice this (runner.log and runner.log.1). */
const runnerLogMaxBytes = 10 * 1024 * 1024;

/** Grace after --retire-at before the supervisor drains an idle runner that did not retire. */
const lifetimeGraceMs = 60_000;

/** An outage that the previous supervisor was in, so the dashboard keeps counting (status.json). */
function outageOf(previous: { outageSince?: string; outageTries?: number } | undefined) {
  const since = previous?.outageSince ? Date.parse(previous.outageSince) : Number.NaN;
  return Number.isFinite(since) && (previous?.outageTries ?? 0) > 0
    ? { since, tries: previous?.outageTries as number }
    : undefined;
}

type TimerName = 'restart' | 'quarantine' | 'lifetime' | 'drain' | 'cap';

/** Everything the executor does to the outside world, injectable for tests. */
export interface SupervisorRuntime {
  now: () => number;
  random: () => number;
  env: NodeJS.ProcessEnv;
  pid: number;
  spawnRunner: (options: SpawnRunnerOptions) => RunnerHandle;
  adoptRunner: (pid: number, isAlive: () => boolean, now: () => number) => RunnerHandle;
  detectRunnerVersion: (binary: string) => Promise<RunnerVersion>;
  fetchHealth: (port: number) => Promise<HealthSnapshot | undefined>;
  fetchMetrics: (port: number) => Promise<MetricsSnapshot | undefined>;
  http: HttpClient;
  preflightProblems: (options: PreflightOptions) => Promise<string[]>;
  checkToken: (options: TokenCheckOptions, http: HttpClient) => Promise<TokenCheck>;
  isSameProcessAlive: (pid: number, startTime: string | undefined) => boolean;
  processStartTime: (pid: number) => string | undefined;
}

export const systemRuntime: SupervisorRuntime = {
  now: Date.now,
  random: Math.random,
  env: process.env,
  pid: process.pid,
  spawnRunner,
  adoptRunner,
  detectRunnerVersion,
  fetchHealth,
  fetchMetrics,
  http: fetchHttpClient,
  preflightProblems,
  checkToken: checkSelfEvictToken,
  isSameProcessAlive,
  processStartTime,
};

/**
 * Executes the policy's effects: runs the runner, watches it, persists state, self-evicts. All
 * decisions are the policy's (`policy.ts`, `boot.ts`); status is a projection of the policy
 * state and what was observed. `run()` resolves with the exit code once a final phase is reached.
 */
export class Supervisor {
  private state: PolicyState = initialPolicyState;
  private readonly policy: PolicyOptions;
  private readonly store: StatusStore;
  private readonly obs: Observations;
  private runner: RunnerHandle | undefined;
  private watch: RunnerWatch | undefined;
  /** The current runner's lines (its log from where this run began). */
  private runnerLog: RunnerLogReader | undefined;
  private runnerVersion: RunnerVersion | undefined;
  private readonly timers = new Map<TimerName, LongTimer>();
  /** Whether the current runner still works (it may be stopped, or silent), and its cap. */
  private liveness: RunnerLiveness | undefined;
  private cap: RunnerCap | undefined;
  private registeredSeen = false;
  private eviction: Promise<void> | undefined;
  private resolveExit: ((code: number) => void) | undefined;
  private exiting = false;
  /** The lock is known in memory but its record is not on disk yet (a full disk): retried at each save. */
  private lockUnwritten = false;
  /** Holds the event loop open in phases that wait on nothing (a quarantine that never ends). */
  private keepAlive: NodeJS.Timeout | undefined;
  private readonly isolation: IsolationRecord;

  constructor(
    private readonly config: SupervisorConfig,
    private readonly paths: StatePaths,
    private readonly log: Logger,
    private readonly runtime: SupervisorRuntime = systemRuntime,
    /** Isolation (docs/isolation.md): what `start` prepared, and what was found at start. */
    private readonly found: { isolation?: IsolationRecord; priorUse?: PriorUse } = {},
  ) {
    this.isolation = found.isolation ?? readIsolationRecord(config, paths);
    this.policy = { ...config.restart, quarantineMs: config.quarantineMs };
    this.store = new StatusStore(paths, log);
    const now = new Date(runtime.now()).toISOString();
    this.obs = {
      supervisorPid: runtime.pid,
      startedAt: now,
      capacity: config.capacity,
      lockedAtBoot: false,
      lockSource: undefined,
      runner: undefined,
      runnerVersion: undefined,
      runnerId: undefined,
      activeSessions: undefined,
      lastPollAgeMs: undefined,
      healthStatus: undefined,
      healthCheckedAt: undefined,
      sessionsSeen: 0,
      registration: undefined,
      tokenCheck: undefined,
      retireAtEpochSec: undefined,
      eviction: undefined,
      isolation: isolationLabel(this.isolation.isolation),
    };
  }

  run(): Promise<number> {
    const exit = new Promise<number>((resolve) => {
      this.resolveExit = resolve;
    });
    this.keepAlive = setInterval(() => undefined, 1 << 30);
    void this.boot();
    return exit;
  }

  private async boot(): Promise<void> {
    const previous = readStatus(this.paths);
    const orphanPid = previous?.runnerPid;
    const isolated = this.isolation.isolation.on;
    // With isolation, anything that says the workspace may have served a session counts as the
    // lock; a runner left by a killed supervisor has already been killed (usage-evidence.ts).
    const evidence = this.found.priorUse?.evidence;
    const plan = planBoot({
      now: this.runtime.now(),
      previous,
      lockedFlagExists: fs.existsSync(this.paths.lockedFlag) || evidence !== undefined,
      orphanAlive:
        !isolated && orphanPid !== undefined && this.runtime.isSameProcessAlive(orphanPid, previous?.runnerStartTime),
      maxLifetimeMs: this.config.maxLifetimeMs,
    });
    Object.assign(this.obs, {
      lockedAtBoot: plan.locked,
      lockSource: evidence ? `used before this start: ${evidence}` : previous?.lockSource,
      runnerId: previous?.runnerId,
      sessionsSeen: previous?.sessionsSeen ?? 0,
      eviction: previous?.eviction,
      retireAtEpochSec: plan.retireAt === undefined ? undefined : Math.floor(plan.retireAt / 1000),
    });
    if (evidence) {
      this.log.warn({ evidence }, 'cannot prove that this workspace never served a session; treating it as used');
      // Persisted in the state dir that only we can write (retried at each save if the disk refuses).
      this.writeLockRecord();
    }
    if (plan.adoptOrphan && orphanPid !== undefined) {
      // In the very first status written, so `stop` can always find it.
      this.obs.runner = { pid: orphanPid, startTime: previous?.runnerStartTime };
      this.obs.runnerVersion = previous?.runnerVersion;
    }
    this.log.info(
      { locked: plan.locked, alreadyEvicted: plan.alreadyEvicted, retireAt: this.obs.retireAtEpochSec },
      'supervisor started',
    );
    // On the dashboard at once: the checks below take a moment (they run as the runner user).
    this.save();
    // With isolation the base dir is the runner user's: `start` made it, the supervisor cannot write it.
    const problems = plan.runPreflight
      ? await this.runtime.preflightProblems({
          ...this.config,
          baseDir: isolated ? undefined : this.config.baseDir,
          // An isolated runner runs as its own unprivileged user, never as root.
          runnerUid: isolated ? -1 : (process.getuid?.() ?? -1),
          runnerEnv: this.runtime.env,
          runAs: isolationRunAs(this.isolation),
        })
      : [];
    for (const problem of problems) this.log.error({ problem }, 'preflight check failed');
    const token = plan.runPreflight && problems.length === 0 ? await this.checkToken() : undefined;
    if (plan.armLifetimeTimer && plan.retireAt !== undefined) {
      const delay = Math.max(0, plan.retireAt - this.runtime.now()) + lifetimeGraceMs;
      this.setTimer('lifetime', delay, { type: 'lifetime-elapsed' }, true);
    }
    this.dispatch({
      type: 'boot',
      locked: plan.locked,
      alreadyEvicted: plan.alreadyEvicted,
      preflightProblems: problems,
      lifetimeOver: plan.lifetimeOver,
      adoptedRunner: plan.adoptOrphan,
      tokenProblem: token?.verdict === 'refused' ? token.problem : undefined,
      outage: outageOf(previous),
    });
    if (plan.adoptOrphan && orphanPid !== undefined) {
      this.log.warn(
        { pid: orphanPid },
        'a runner from an earlier supervisor is still running; watching it instead of starting another',
      );
      const startTime = previous?.runnerStartTime;
      const runner = this.runtime.adoptRunner(
        orphanPid,
        () => this.runtime.isSameProcessAlive(orphanPid, startTime),
        this.runtime.now,
      );
      void this.superviseRunner(runner);
    }
  }

  /** Proves, before any session, that the token could delete this workspace (eviction/token-check.ts). */
  private async checkToken(): Promise<TokenCheck> {
    const check = await this.runtime.checkToken(
      {
        agentUrl: this.config.agentUrl,
        workspaceId: this.config.workspaceId,
        token: this.config.selfToken,
        requestTimeoutMs: this.config.evictionRequestTimeoutMs,
      },
      this.runtime.http,
    );
    this.obs.tokenCheck = check.verdict === 'ok' ? 'ok' : `${check.verdict}: ${check.problem}`;
    if (check.verdict === 'refused') this.log.error({ problem: check.problem }, 'the self-evict token check failed');
    // Unknown (Coder unreachable for now): serve; the eviction itself retries and says what fails.
    if (check.verdict === 'unknown') this.log.warn({ problem: check.problem }, 'could not check the self-evict token');
    return check;
  }

  /** SIGTERM/SIGINT to the supervisor, or `stop`: drain the runner, do not self-evict. */
  requestStop(signal: string): void {
    this.log.info({ signal }, 'stop requested');
    this.dispatch({ type: 'stop-requested' });
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
    this.save();
    for (const effect of effects) this.execute(effect);
  }

  private save(): void {
    // The lock's own record failed to reach the disk before (full disk): try again now.
    if (this.lockUnwritten) this.writeLockRecord();
    void this.store.save(projectStatus(this.state, this.obs, this.runtime.now()));
  }

  /** Writes the lock record; on failure, remembers to retry at every save (the lock itself is in memory). */
  private writeLockRecord(): void {
    if (fs.existsSync(this.paths.lockedFlag)) {
      this.lockUnwritten = false;
      return;
    }
    try {
      writeFileAtomically(
        this.paths.lockedFlag,
        `${Math.floor(this.runtime.now() / 1000)} ${this.obs.lockSource ?? 'locked'}\n`,
        0o600,
      );
      this.lockUnwritten = false;
    } catch (error) {
      if (!this.lockUnwritten) {
        this.log.error({ err: error }, 'could not persist the lock record; it is kept in memory and retried');
      }
      this.lockUnwritten = true;
    }
  }

  private setTimer(name: Exclude<TimerName, 'drain'>, delayMs: number, event: PolicyEvent, unref = false) {
    this.timers.get(name)?.cancel();
    this.timers.set(
      name,
      setLongTimeout(() => this.dispatch(event), delayMs, unref),
    );
  }

  private cancelTimer(name: TimerName): void {
    this.timers.get(name)?.cancel();
    this.timers.delete(name);
  }

  private execute(effect: Effect): void {
    switch (effect.type) {
      case 'spawn-runner':
        void this.startRunner();
        return;
      case 'schedule-restart': {
        const delay = equalJitter(effect.delayMs, this.runtime.random);
        this.log.info({ delayMs: delay }, 'runner restart scheduled');
        this.setTimer('restart', delay, { type: 'backoff-elapsed' });
        return;
      }
      case 'schedule-quarantine':
        this.setTimer('quarantine', effect.delayMs, { type: 'quarantine-elapsed' });
        return;
      case 'cancel-timers':
        this.cancelTimer('restart');
        this.cancelTimer('quarantine');
        return;
      case 'drain-runner':
        this.drainRunner();
        return;
      case 'kill-runner':
        this.log.warn({ pid: this.runner?.pid, reason: effect.reason }, 'killing the runner: it no longer works');
        this.runner?.killGroup();
        return;
      case 'persist-lock':
        this.persistLock(effect.source);
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
      this.runnerVersion ??= await this.runtime.detectRunnerVersion(this.config.runnerBinary);
    } catch (error) {
      this.runnerVersion = { raw: `unknown (${describeError(error)})`, parts: undefined };
    }
    const version = this.runnerVersion;
    const secretFlag = secretFlagFor(version);
    if (!version.parts)
      this.log.warn({ output: version.raw }, 'could not read the runner version; assuming a current runner');
    const runnerPaths = this.isolation.paths;
    const { isolation } = this.isolation;
    const args = buildRunnerArgs({
      secretFlag,
      secretFile: runnerPaths.secretFile,
      capacity: this.config.capacity,
      wrapper: runnerPaths.wrapper,
      healthPort: this.config.healthPort,
      baseDir: runnerPaths.baseDir,
      retireAtEpochSec: this.armCap().retireAtEpochSec,
      drainWaitSec: this.config.drainWaitSec,
      drainMarkerFile: runnerPaths.drainMarker,
      options: this.config.runnerOptions,
    });
    capRunnerLog(this.paths.runnerLog, runnerLogMaxBytes);
    this.runnerLog = new RunnerLogReader(this.paths.runnerLog);
    const spawned = this.runtime.spawnRunner(
      runnerSpawnOptions(
        {
          binary: this.config.runnerBinary,
          args,
          env: isolatedRunnerEnvironment(runnerEnvironment(this.runtime.env), isolation, this.config.gitBotToken),
          // One log, the supervisor's: the runner user writes it only through this descriptor.
          outputFile: this.paths.runnerLog,
          cwd: runnerPaths.baseDir,
          now: this.runtime.now,
        },
        isolation,
      ),
    );
    const runner = isolatedHandle(spawned, isolation, this.log);
    Object.assign(this.obs, {
      runner:
        runner.pid === undefined
          ? undefined
          : { pid: runner.pid, startTime: this.runtime.processStartTime(runner.pid) },
      runnerVersion: version.raw,
      activeSessions: undefined,
      lastPollAgeMs: undefined,
      registration: undefined,
    });
    if (runner.pid !== undefined) {
      this.log.info({ pid: runner.pid, version: version.raw, secretFlag, args }, 'runner started');
      // Known before the policy hears of it: a stop that came during the spawn drains it at once.
      this.runner = runner;
      this.dispatch({ type: 'runner-spawned' });
    }
    await this.superviseRunner(runner);
  }

  /** The runner's cap for this start (executor/runner-cap.ts), with its kill timer. */
  private armCap(): RunnerCap {
    const now = this.runtime.now();
    this.cap = runnerCap(now, this.obs.retireAtEpochSec, this.config.maxLockedMs);
    this.setTimer(
      'cap',
      Math.max(0, this.cap.killAtMs - now),
      { type: 'locked-cap-elapsed', capText: this.cap.capText },
      true,
    );
    return this.cap;
  }

  /** Watches a live runner until it exits, then cleans up its process group and reports. */
  private async superviseRunner(runner: RunnerHandle): Promise<void> {
    this.runner = runner;
    this.liveness = new RunnerLiveness(this.runtime.now(), this.config.runnerUnresponsiveMs);
    this.registeredSeen = false;
    this.runnerLog ??= new RunnerLogReader(this.paths.runnerLog);
    if (runner.pid !== undefined) {
      this.watch = new RunnerWatch(
        runner,
        {
          healthPort: this.config.healthPort,
          intervalMs: this.config.healthIntervalMs,
          stateDir: this.isolation.paths.recordDir,
          lockedFlag: this.isolation.paths.lockRecord,
          sessionsFile: this.isolation.paths.sessionsRecord,
          fetchHealth: this.runtime.fetchHealth,
          fetchMetrics: this.runtime.fetchMetrics,
        },
        {
          onLockRecord: (sessions) => this.onLockRecord(sessions),
          onPoll: (report) => this.onPoll(report),
          onTampered: (file, what) => this.onTampered(file, what),
        },
      );
      this.watch.start();
    }
    const exit = await runner.exited;
    const { isolation } = this.isolation;
    if (isolation.on) {
      // The wrapper's record is queued (inotify) before a session's code can run: let it arrive.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.watch?.stop();
    this.cancelTimer('drain');
    this.cancelTimer('cap');
    this.liveness = undefined;
    // Sessions left behind by a crashed runner would outlive it: clear the whole group.
    runner.killGroup();
    if (isolation.on) {
      // Every process of the runner user dies before anything else happens: no spy outlives it.
      const report = await killRunnerUserProcesses(isolation.via, isolation.user);
      this.log.info({ ...report }, 'processes of the runner user after the runner exited');
      const traces = recordsLeft(this.isolation) ?? (await baseDirTraces(this.isolation));
      if (traces && !this.state.locked) {
        this.obs.lockSource = `session traces: ${traces}`;
        this.dispatch({ type: 'lock-observed', source: this.obs.lockSource });
      }
    }
    this.runner = undefined;
    Object.assign(this.obs, { runner: undefined, activeSessions: undefined, registration: undefined });
    const verdict = classifyRunnerExit(exit, this.runnerLog?.all() ?? []);
    this.runnerLog = undefined;
    this.log.info({ ...exit, kind: verdict.kind, line: verdict.line }, 'runner exited');
    // A session that started just before the exit may have left its record since the last look.
    this.watch?.checkLockRecord();
    this.watch = undefined;
    const now = this.runtime.now();
    this.dispatch({
      type: 'runner-exited',
      ...exit,
      kind: verdict.kind,
      line: verdict.line,
      at: now,
      retiredAtCap: retiredAtCap(this.cap, now, verdict.kind === 'clean'),
    });
    this.cap = undefined;
  }

  private onLockRecord(sessionsRecorded: number): void {
    if (this.state.locked) return;
    this.obs.lockSource = 'session wrapper';
    this.obs.sessionsSeen = Math.max(this.obs.sessionsSeen, sessionsRecorded);
    this.dispatch({ type: 'lock-observed', source: 'session wrapper' });
  }

  /** Logged once per file: a record that is not a regular file is a session's doing, never data. */
  private readonly tampered = new Set<string>();
  private onTampered(file: string, what: string): void {
    if (this.tampered.has(file)) return;
    this.tampered.add(file);
    this.log.warn({ file, what }, `a record in the drop box is ${what}, not a file: a session tampered with it`);
  }

  private onPoll({ health, metrics }: WatchReport): void {
    if (capRunnerLog(this.paths.runnerLog, runnerLogMaxBytes))
      this.log.info('runner log capped; the previous part is runner.log.1');
    if (this.runnerLog) this.obs.registration = registrationProgress(this.runnerLog.all());
    const source = showsLock(health, metrics);
    if (source) this.dispatch({ type: 'lock-observed', source });
    this.checkLiveness(health);
    Object.assign(this.obs, {
      runnerId: health?.runnerId ?? this.obs.runnerId,
      activeSessions: health?.activeSessions ?? (health ? this.obs.activeSessions : undefined),
      lastPollAgeMs: health?.lastPollAgeMs,
      healthStatus: health?.status ?? 'unreachable',
      healthCheckedAt: new Date(this.runtime.now()).toISOString(),
      // The wrapper appends to the sessions file just before it records the lock, so an unlocked
      // workspace has none to read.
      sessionsSeen: Math.max(
        this.obs.sessionsSeen,
        metrics?.sessionsStarted ?? 0,
        this.state.locked ? this.sessionsRecorded() : 0,
      ),
    });
    this.save();
  }

  /** A runner that no longer works is the policy's to act on; an outage ends with a registration. */
  private checkLiveness(health: HealthSnapshot | undefined): void {
    const runner = this.runner;
    if (!runner?.pid || !this.liveness) return;
    if (!this.registeredSeen && (health?.runnerId !== undefined || this.obs.registration?.registered)) {
      this.registeredSeen = true;
      this.dispatch({ type: 'runner-registered' });
    }
    const reason = this.liveness.observe({
      now: this.runtime.now(),
      health,
      stoppedPid: stoppedProcess(runner.pid),
    });
    if (reason) this.dispatch({ type: 'runner-unresponsive', reason });
  }

  private sessionsRecorded(): number {
    const record = readSessionsRecord(this.isolation.paths.sessionsRecord);
    if (record.tampered) this.onTampered(this.isolation.paths.sessionsRecord, record.tampered);
    return record.count;
  }

  private drainRunner(): void {
    const runner = this.runner;
    if (!runner) return;
    this.log.info({ pid: runner.pid, drainTimeoutMs: this.config.drainTimeoutMs }, 'draining the runner (one SIGTERM)');
    runner.signalDrain();
    this.cancelTimer('drain');
    this.timers.set(
      'drain',
      setLongTimeout(() => {
        if (!runner.isAlive()) return;
        this.log.warn({ pid: runner.pid }, 'drain timeout passed; killing the runner process group');
        runner.killGroup();
      }, this.config.drainTimeoutMs),
    );
  }

  private persistLock(source: string): void {
    this.obs.lockSource ??= source;
    this.log.info({ source }, 'workspace locked to a user');
    this.writeLockRecord();
    this.save();
  }

  private async evict(reason: string): Promise<void> {
    // An earlier attempt that may have reached Coder (pending) or was accepted: read first.
    const verifyFirst = evictionStarted(this.obs.eviction);
    this.log.info({ reason, verifyFirst }, 'self-evicting');
    this.obs.eviction = {
      outcome: 'pending',
      attempts: 0,
      lastStatus: undefined,
      message: reason,
      at: new Date(this.runtime.now()).toISOString(),
    };
    this.save();
    await this.store.settled();
    let result: EvictionResult;
    try {
      result = await evictWorkspace(evictionOptionsFrom(this.config, verifyFirst), {
        http: this.runtime.http,
        now: this.runtime.now,
        random: this.runtime.random,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        onAttempt: ({ attempt, verdict, status, waitMs }) => {
          this.log.info({ attempt, verdict: verdict.kind, status, waitMs }, 'eviction attempt');
          // The dashboard shows every attempt while it retries.
          this.obs.eviction = {
            outcome: 'pending',
            attempts: attempt,
            lastStatus: status,
            message: verdict.kind === 'retry' || verdict.kind === 'wait-build' ? verdict.why : reason,
            at: new Date(this.runtime.now()).toISOString(),
          };
          this.save();
        },
      });
    } catch (error) {
      result = { outcome: 'failed', attempts: 0, lastStatus: undefined, message: describeError(error), durationMs: 0 };
    }
    const level = result.outcome === 'failed' ? 'error' : 'info';
    this.log[level]({ ...result }, 'self-eviction finished');
    this.obs.eviction = {
      outcome: result.outcome,
      attempts: result.attempts,
      lastStatus: result.lastStatus,
      message: result.message,
      at: new Date(this.runtime.now()).toISOString(),
    };
    this.dispatch({ type: 'eviction-finished', succeeded: result.outcome !== 'failed', message: result.message });
  }

  private async exit(code: number): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
    clearInterval(this.keepAlive);
    this.watch?.stop();
    await this.store.settled();
    this.log.info({ code, state: this.state.phase, final: isFinal(this.state.phase) }, 'supervisor exiting');
    this.resolveExit?.(code);
  }
}
