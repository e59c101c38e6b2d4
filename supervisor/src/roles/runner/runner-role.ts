import type { SupervisorConfig } from '../../config/config.js';
import type { CheckVerdict } from '../../coder-api/answer.js';
import { evictionOptionsFrom } from '../../eviction/eviction-options.js';
import type { EvictionOptions } from '../../eviction/evict-workspace.js';
import type { PolicyState } from '../../lifecycle/policy-types.js';
import type { RoleProfile } from '../../lifecycle/role-profile.js';
import type { RoleStatus } from '../../lifecycle/status-projection.js';
import { capProcessLog, ProcessLogReader } from '../../process/process-log.js';
import { stoppedProcess } from '../../process/process-state.js';
import { isolatedHandle, isolatedRunnerEnvironment, runnerSpawnOptions } from '../../process/run-as-user.js';
import type { ProcessExit, ProcessHandle, SpawnOptions } from '../../process/supervised-process.js';
import { describeError } from '../../shared/errors.js';
import type { Logger } from '../../shared/log.js';
import type { StatePaths } from '../../state/paths.js';
import type { SupervisorStatus } from '../../state/status.js';
import type { IsolationRecord } from '../../workspace/isolation.js';
import { foreignListener, listenerUids } from '../../process/port-listeners.js';
import { isolationRunAs, killIsolatedProcesses } from '../../workspace/runner-user.js';
import { baseDirTraces, recordsLeft } from '../../workspace/usage-evidence.js';
import { runnerEnvironment } from '../claude-environment.js';
import { secretFlagFor, type RunnerVersion } from '../claude-version.js';
import type { ExitVerdict, RoleLimits, SupervisedRole, WatchHooks } from '../role.js';
import {
  classifyRunnerExit,
  registrationProgress,
  sessionStartLine,
  type RegistrationProgress,
} from './classify-exit.js';
import { showsLock } from './health.js';
import { buildRunnerArgs } from './runner-args.js';
import { displayState } from './runner-display.js';
import { runnerItems } from './runner-items.js';
import { onDemandRunnerProfile, poolRunnerProfile } from './runner-profile.js';
import { RunnerLiveness } from './runner-liveness.js';
import { runnerPartOf, runnerVolatileFields, type RunnerStatusPart } from './runner-status.js';
import type { RunnerRoleRuntime } from './runner-runtime.js';
import { RunnerWatch, readSessionsRecord, type WatchReport } from './runner-watch.js';

/** Once the health port was found the runner's, its owner is looked at again every this many polls. */
const portRecheckPolls = 30;

/** The runner's log is kept to about twice this (runner.log and runner.log.1). */
const runnerLogMaxBytes = 10 * 1024 * 1024;

/**
 * The runner (`claude self-hosted-runner`) as a role: its argv and version, its checks, its
 * watch (/healthz, /metrics, the wrapper's lock record, whether it still works), why it exited,
 * and its dashboard. In pool mode and in on-demand mode (with a work order instead of the
 * environment secret, capacity 1, never restarted).
 */
const isSessionStart = (line: string): boolean => sessionStartLine([line]) !== undefined;

export class RunnerRole implements SupervisedRole {
  readonly profile: RoleProfile;
  readonly limits: RoleLimits;
  readonly hasOrder: boolean;
  readonly volatileFields = runnerVolatileFields;
  private version: RunnerVersion | undefined;
  /** The runner's `--version`, asked while the checks run: it is on the way to the first spawn. */
  private versionPending: Promise<RunnerVersion> | undefined;
  private watcher: RunnerWatch | undefined;
  private liveness: RunnerLiveness | undefined;
  private logReader: ProcessLogReader | undefined;
  private foreignPortSaid = false;
  /**
   * The health port's owner, as the polls of this start found it: `own` once a listener was there
   * and every listener was the runner's (then looked at again only every `portRecheckPolls`),
   * `foreign` for the rest of the start once another user's was. Reading /proc/net/tcp and tcp6
   * costs the kernel about 10 ms of CPU: at every poll it tripled an idle supervisor's CPU.
   */
  private portOwner: { verdict: 'own' | 'foreign'; polls: number } | undefined;
  private registeredSeen = false;
  private readonly tampered = new Set<string>();
  private view: {
    runnerId: string | undefined;
    activeSessions: number | undefined;
    lastPollAgeMs: number | undefined;
    healthStatus: string | undefined;
    healthCheckedAt: string | undefined;
    sessionsSeen: number;
    registration: RegistrationProgress | undefined;
  } = {
    runnerId: undefined,
    activeSessions: undefined,
    lastPollAgeMs: undefined,
    healthStatus: undefined,
    healthCheckedAt: undefined,
    sessionsSeen: 0,
    registration: undefined,
  };

  constructor(
    private readonly config: SupervisorConfig,
    private readonly paths: StatePaths,
    private readonly isolation: IsolationRecord,
    private readonly log: Logger,
    private readonly runtime: RunnerRoleRuntime,
  ) {
    this.profile = config.mode === 'on-demand' ? onDemandRunnerProfile : poolRunnerProfile;
    this.limits = {
      maxLifetimeMs: config.maxLifetimeMs,
      maxLockedMs: config.maxLockedMs,
      orderWaitMs: config.orderWaitMs,
    };
    this.hasOrder = Boolean(config.workOrder);
  }

  /** On-demand, the runner serves the one session of its work order: capacity 1, whatever the input says. */
  private capacity(): number {
    return this.profile.awaitsOrder ? 1 : this.config.capacity;
  }

  restore(previous: SupervisorStatus | undefined): void {
    const part = runnerPartOf(previous);
    this.view.runnerId = part.runnerId;
    this.view.sessionsSeen = part.sessionsSeen;
  }

  preflight(): Promise<string[]> {
    this.detectVersion();
    const isolated = this.isolation.isolation.on;
    return this.runtime.preflightProblems({
      ...this.config,
      // With isolation the base dir is the runner user's: `start` made it, the supervisor cannot write it.
      baseDir: isolated ? undefined : this.config.baseDir,
      // An isolated runner runs as its own unprivileged user, never as root.
      runnerUid: isolated ? -1 : (process.getuid?.() ?? -1),
      runnerEnv: this.runtime.env,
      runAs: isolationRunAs(this.isolation),
    });
  }

  async checkCredentials(): Promise<CheckVerdict> {
    const check = await this.runtime.checkToken(
      {
        agentUrl: this.config.agentUrl,
        workspaceId: this.config.workspaceId,
        token: this.config.selfToken,
        requestTimeoutMs: this.config.evictionRequestTimeoutMs,
      },
      this.runtime.http,
    );
    if (check.verdict === 'refused') this.log.error({ problem: check.problem }, 'the self-evict token check failed');
    if (check.verdict === 'unknown') this.log.warn({ problem: check.problem }, 'could not check the self-evict token');
    return check;
  }

  /** Starts reading the runner's version once; a failure reads as an unknown version. */
  private detectVersion(): Promise<RunnerVersion> {
    this.versionPending ??= this.runtime
      .detectRunnerVersion(this.config.runnerBinary)
      .catch((error: unknown) => ({ raw: `unknown (${describeError(error)})`, parts: undefined }));
    return this.versionPending;
  }

  async spawnOptions(retireAtEpochSec: number | undefined): Promise<{ options: SpawnOptions; version: string }> {
    this.version ??= await this.detectVersion();
    // A version that cannot be read is taken for a current runner: the old flag is the exception.
    const secretFlag = secretFlagFor(this.version);
    if (!this.version.parts) {
      this.log.warn({ output: this.version.raw }, 'could not read the runner version; assuming a current runner');
    }
    const runnerPaths = this.isolation.paths;
    const { isolation } = this.isolation;
    const args = buildRunnerArgs({
      secretFlag,
      secretFile: runnerPaths.secretFile,
      capacity: this.capacity(),
      wrapper: runnerPaths.wrapper,
      healthPort: this.config.healthPort,
      baseDir: runnerPaths.baseDir,
      retireAtEpochSec,
      drainWaitSec: this.config.drainWaitSec,
      drainMarkerFile: runnerPaths.drainMarker,
      options: this.config.runnerOptions,
    });
    capProcessLog(this.paths.runnerLog, runnerLogMaxBytes);
    this.logReader = new ProcessLogReader(this.paths.runnerLog, isSessionStart);
    Object.assign(this.view, { activeSessions: undefined, lastPollAgeMs: undefined, registration: undefined });
    this.log.info({ version: this.version.raw, secretFlag, args }, 'starting the runner');
    const options = runnerSpawnOptions(
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
    );
    return { options, version: this.version.raw };
  }

  wrapHandle(handle: ProcessHandle): ProcessHandle {
    return isolatedHandle(handle, this.isolation.isolation, this.log);
  }

  watch(handle: ProcessHandle, hooks: WatchHooks): void {
    this.liveness = new RunnerLiveness(this.runtime.now(), this.config.runnerUnresponsiveMs);
    this.registeredSeen = false;
    this.foreignPortSaid = false;
    this.portOwner = undefined;
    this.logReader ??= new ProcessLogReader(this.paths.runnerLog, isSessionStart);
    if (handle.pid === undefined) return;
    this.watcher = new RunnerWatch(
      handle,
      {
        healthPort: this.config.healthPort,
        intervalMs: this.config.healthIntervalMs,
        recordDir: this.isolation.paths.recordDir,
        lockRecord: this.isolation.paths.lockRecord,
        sessionsRecord: this.isolation.paths.sessionsRecord,
        // An answer counts only from a listener of the runner's user: checked at every start.
        fetchHealth: async (port) => (this.portHeldBy(port, hooks) ? undefined : this.runtime.fetchHealth(port)),
        // The same poll's second request: the owner that its health request found.
        fetchMetrics: async (port) =>
          this.portOwner?.verdict === 'foreign' ? undefined : this.runtime.fetchMetrics(port),
      },
      {
        onLockRecord: (sessions) => {
          this.view.sessionsSeen = Math.max(this.view.sessionsSeen, sessions);
          hooks.lockObserved('session wrapper');
        },
        onPoll: (report) => this.onPoll(handle, report, hooks),
        onTampered: (file, what) => this.onTampered(file, what),
      },
    );
    this.watcher.start();
  }

  /** Whether another user's process holds the health port; said once per start, as the runner no longer working. */
  private portHeldBy(port: number, hooks: WatchHooks): boolean {
    if (this.portOwner?.verdict === 'foreign') return true;
    if (this.portOwner?.verdict === 'own' && (this.portOwner.polls += 1) % portRecheckPolls !== 0) return false;
    const { isolation } = this.isolation;
    const uid = isolation.on ? isolation.user.uid : (process.getuid?.() ?? 0);
    // One read of the tables for both questions: whose the listeners are, and whether any is there.
    const owners = listenerUids(port);
    const reason = foreignListener(port, uid, undefined, owners);
    if (reason) {
      this.portOwner = { verdict: 'foreign', polls: 0 };
      if (!this.foreignPortSaid) {
        this.foreignPortSaid = true;
        this.log.error({ port }, reason);
        hooks.unresponsive(reason);
      }
      return true;
    }
    // Nobody listens yet (the runner binds it after its registration): asked again at the next poll.
    if (this.portOwner === undefined && owners.length > 0) this.portOwner = { verdict: 'own', polls: 0 };
    return false;
  }

  private onPoll(handle: ProcessHandle, { health, metrics }: WatchReport, hooks: WatchHooks): void {
    if (capProcessLog(this.paths.runnerLog, runnerLogMaxBytes)) {
      this.log.info('runner log capped; the previous part is runner.log.1');
    }
    if (this.logReader) this.view.registration = registrationProgress(this.logReader.all());
    const source = showsLock(health, metrics);
    if (source) hooks.lockObserved(source);
    if (!this.registeredSeen && (health?.runnerId !== undefined || this.view.registration?.registered)) {
      this.registeredSeen = true;
      hooks.registered();
    }
    const reason =
      handle.pid === undefined
        ? undefined
        : this.liveness?.observe({ now: this.runtime.now(), health, stoppedPid: stoppedProcess(handle.pid) });
    if (reason) hooks.unresponsive(reason);
    Object.assign(this.view, {
      runnerId: health?.runnerId ?? this.view.runnerId,
      activeSessions: health?.activeSessions ?? (health ? this.view.activeSessions : undefined),
      lastPollAgeMs: health?.lastPollAgeMs,
      healthStatus: health?.status ?? 'unreachable',
      healthCheckedAt: new Date(this.runtime.now()).toISOString(),
      // The wrapper appends to the sessions file just before it records the lock, so an unlocked
      // workspace has none to read.
      sessionsSeen: Math.max(
        this.view.sessionsSeen,
        metrics?.sessionsStarted ?? 0,
        hooks.locked() ? this.sessionsRecorded() : 0,
      ),
    });
    hooks.changed();
  }

  private sessionsRecorded(): number {
    const record = readSessionsRecord(this.isolation.paths.sessionsRecord);
    if (record.tampered) this.onTampered(this.isolation.paths.sessionsRecord, record.tampered);
    return record.count;
  }

  /** Logged once per file: a record that is not a regular file is a session's doing, never data. */
  private onTampered(file: string, what: string): void {
    if (this.tampered.has(file)) return;
    this.tampered.add(file);
    this.log.warn({ file, what }, `a record in the drop box is ${what}, not a file: a session tampered with it`);
  }

  async afterExit(exit: ProcessExit, handle: ProcessHandle): Promise<ExitVerdict> {
    const { isolation } = this.isolation;
    if (isolation.on) {
      // The wrapper's record is queued (inotify) before a session's code can run: let it arrive.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.watcher?.stop();
    this.liveness = undefined;
    // Sessions left behind by a crashed runner would outlive it: clear the whole group.
    handle.killGroup();
    let lockEvidence: string | undefined;
    if (isolation.on) {
      // Every process of the runner user dies before anything else happens: no spy outlives it.
      const report = await killIsolatedProcesses(isolation);
      this.log.info({ ...report }, 'processes of the runner user after the runner exited');
      lockEvidence = recordsLeft(this.isolation) ?? (await baseDirTraces(this.isolation));
    }
    Object.assign(this.view, { activeSessions: undefined, registration: undefined });
    const lines = this.logReader?.all() ?? [];
    // The runner's own word that a session started locks too, whatever the drop box could take.
    const started = sessionStartLine(lines) ?? this.logReader?.marked;
    lockEvidence ??= started ? `the runner's log: ${started}` : undefined;
    const verdict = classifyRunnerExit(exit, lines);
    this.logReader = undefined;
    this.log.info({ ...exit, kind: verdict.kind, line: verdict.line }, 'runner exited');
    // A session that started just before the exit may have left its record since the last look.
    this.watcher?.checkLockRecord();
    this.watcher = undefined;
    return { ...verdict, lockEvidence };
  }

  evictionOptions(verifyFirst: boolean): EvictionOptions {
    return evictionOptionsFrom(this.config, verifyFirst);
  }

  status(state: PolicyState, alive: boolean): RoleStatus {
    const v = this.view;
    return {
      display: displayState(state, { alive, ...v }),
      fields: {
        role: 'runner',
        runnerId: v.runnerId,
        capacity: this.capacity(),
        activeSessions: alive ? v.activeSessions : undefined,
        lastPollAgeMs: alive ? v.lastPollAgeMs : undefined,
        healthStatus: v.healthStatus,
        healthCheckedAt: v.healthCheckedAt,
        sessionsSeen: v.sessionsSeen,
      } satisfies RunnerStatusPart,
    };
  }

  dashboardItems(status: SupervisorStatus): Record<string, string> {
    return runnerItems(status);
  }
}
