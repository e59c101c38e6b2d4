import fs from 'node:fs';
import type { CommonRunConfig } from '../config/config.js';
import { evictWorkspace, type EvictionResult } from '../eviction/evict-workspace.js';
import {
  initialPolicyState,
  isFinal,
  transition,
  type Effect,
  type PolicyEvent,
  type PolicyOptions,
  type PolicyState,
} from '../lifecycle/policy.js';
import { projectStatus, type Observations } from '../lifecycle/status-projection.js';
import type { ProcessHandle } from '../process/supervised-process.js';
import type { PreparedHost, SupervisedRole, WatchHooks } from '../roles/role.js';
import { writeFileAtomically } from '../shared/atomic-file.js';
import { describeError } from '../shared/errors.js';
import { equalJitter } from '../shared/jitter.js';
import type { Logger } from '../shared/log.js';
import type { StatePaths } from '../state/paths.js';
import { StatusStore, readStatus } from '../state/status-store.js';
import type { IsolationRecord } from '../workspace/isolation.js';
import { isolationLabel } from '../workspace/runner-user.js';
import { NamedTimers } from './named-timers.js';
import { systemRuntime, type SupervisorRuntime } from './runtime.js';

export { systemRuntime, type SupervisorRuntime };

/** After --retire-at, how long an idle runner that did not retire gets before it is drained. */
const lifetimeGraceMs = 60_000;

/** Rounds of a DistributiveOmit: the event without its time, which dispatch stamps. */
type Unstamped<E> = E extends unknown ? Omit<E, 'at'> : never;

/** The policy's options from the configuration and the role, in this one place. */
export function policyOptionsFrom(config: CommonRunConfig, role: SupervisedRole): PolicyOptions {
  return {
    ...config.restart,
    ...role.limits,
    profile: role.profile,
    quarantineMs: config.quarantineMs,
    lifetimeGraceMs,
    stopBudgetMs: config.stopBudgetMs,
  };
}

/**
 * Performs the policy's effects and reports what happened as events: it runs the program (the
 * role's), watches it, persists state, self-evicts. It decides nothing: every decision is the
 * policy's (lifecycle/policy.ts), and what is specific to the program is its role's
 * (roles/role.ts). `run()` resolves with the exit code once a final phase is reached.
 */
export class Supervisor {
  private state: PolicyState = initialPolicyState;
  private readonly policy: PolicyOptions;
  private readonly store: StatusStore;
  private readonly obs: Observations;
  private program: ProcessHandle | undefined;
  private readonly timers = new NamedTimers();
  private eviction: Promise<void> | undefined;
  private resolveExit: ((code: number) => void) | undefined;
  private exiting = false;
  /** The lock is known in memory but its record is not on disk yet (a full disk): retried at each save. */
  private lockUnwritten = false;
  /** Holds the event loop open in phases that wait on nothing (a quarantine that never ends). */
  private keepAlive: NodeJS.Timeout | undefined;
  private readonly isolation: IsolationRecord;

  constructor(
    private readonly config: CommonRunConfig,
    private readonly paths: StatePaths,
    private readonly log: Logger,
    private readonly runtime: SupervisorRuntime,
    /** Isolation (docs/isolation.md): what `start` prepared, and what was found at start. */
    private readonly found: PreparedHost,
    /** The supervised program's role (roles/registry.ts made it). */
    private readonly role: SupervisedRole,
  ) {
    this.isolation = found.isolation;
    this.policy = policyOptionsFrom(config, role);
    this.store = new StatusStore(paths, log, {
      items: (status) => role.dashboardItems(status),
      volatileFields: role.volatileFields,
    });
    this.obs = {
      supervisorPid: runtime.pid,
      startedAt: new Date(runtime.now()).toISOString(),
      program: undefined,
      programVersion: undefined,
      isolation: isolationLabel(this.isolation.isolation),
    };
  }

  run(): Promise<number> {
    const exit = new Promise<number>((resolve) => {
      this.resolveExit = resolve;
    });
    this.keepAlive = setInterval(() => undefined, 1 << 30);
    this.boot();
    return exit;
  }

  private boot(): void {
    const previous = readStatus(this.paths);
    const orphanPid = previous?.programPid;
    this.role.restore(previous);
    const evidence = this.found.priorUse?.evidence;
    if (evidence)
      this.log.warn({ evidence }, 'cannot prove that this workspace never served a session; treating it as used');
    const orphanAlive =
      orphanPid !== undefined && this.runtime.isSameProcessAlive(orphanPid, previous?.programStartTime);
    if (orphanAlive && !this.isolation.isolation.on) {
      // In the very first status written, so `stop` can always find it.
      this.obs.program = { pid: orphanPid, startTime: previous?.programStartTime };
      this.obs.programVersion = previous?.programVersion;
    }
    this.dispatch({
      type: 'boot',
      facts: {
        previous,
        lockRecordExists: fs.existsSync(this.paths.lockedFlag),
        evidence,
        isolated: this.isolation.isolation.on,
        orphanAlive,
        hasOrder: this.role.hasOrder,
      },
    });
    this.log.info(
      { locked: this.state.locked, phase: this.state.phase, reason: this.state.reason },
      'supervisor started',
    );
  }

  /** SIGTERM/SIGINT to the supervisor, or `stop`: drain the program, do not self-evict. */
  requestStop(signal: string): void {
    this.log.info({ signal }, 'stop requested');
    this.dispatch({ type: 'stop-requested' });
  }

  private dispatch(event: Unstamped<PolicyEvent>): void {
    if (this.exiting) return;
    const before = this.state;
    const { state, effects } = transition(before, { ...event, at: this.runtime.now() } as PolicyEvent, this.policy);
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
    const alive = this.obs.program !== undefined;
    void this.store.save(projectStatus(this.state, this.obs, this.role.status(this.state, alive), this.runtime.now()));
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
        `${Math.floor(this.runtime.now() / 1000)} ${this.state.lockSource ?? 'locked'}\n`,
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

  private execute(effect: Effect): void {
    switch (effect.type) {
      case 'run-checks':
        void this.runChecks();
        return;
      case 'check-credentials':
        void this.role.checkCredentials().then((check) => this.dispatch({ type: 'credentials-checked', ...check }));
        return;
      case 'spawn-program':
        void this.spawnProgram(effect.retireAtEpochSec);
        return;
      case 'adopt-program': {
        this.log.warn(
          { pid: effect.pid },
          'a program from an earlier supervisor is still running; watching it instead of starting another',
        );
        const handle = this.runtime.adoptProcess(
          effect.pid,
          () => this.runtime.isSameProcessAlive(effect.pid, effect.startTime),
          this.runtime.now,
        );
        void this.superviseProgram(handle);
        return;
      }
      case 'start-timer': {
        const delayMs = effect.jitter === 'equal' ? equalJitter(effect.delayMs, this.runtime.random) : effect.delayMs;
        if (effect.timer === 'restart') this.log.info({ delayMs }, 'restart scheduled');
        this.timers.start(effect.timer, delayMs, () => this.dispatch({ type: 'timer-elapsed', timer: effect.timer }));
        return;
      }
      case 'cancel-timers':
        this.timers.cancel(effect.timers);
        return;
      case 'drain-program':
        if (!this.program) return;
        this.log.info({ pid: this.program.pid, stopBudgetMs: this.config.stopBudgetMs }, 'draining (one SIGTERM)');
        this.program.signalDrain();
        return;
      case 'kill-program':
        this.log.warn({ pid: this.program?.pid, reason: effect.reason }, 'killing the program and its group');
        this.program?.killGroup();
        return;
      case 'persist-lock':
        this.log.info({ source: effect.source }, 'workspace locked to a user');
        this.writeLockRecord();
        return;
      case 'evict':
        this.eviction ??= this.evict(effect.verifyFirst);
        return;
      case 'exit':
        void this.exit(effect.code);
        return;
    }
  }

  private async runChecks(): Promise<void> {
    // On the dashboard at once: the checks take a moment (with isolation, they run as the runner user).
    const problems = await this.role.preflight();
    for (const problem of problems) this.log.error({ problem }, 'preflight check failed');
    this.dispatch({ type: 'checks-done', problems });
  }

  private async spawnProgram(retireAtEpochSec: number | undefined): Promise<void> {
    const { options, version } = await this.role.spawnOptions(retireAtEpochSec);
    const handle = this.role.wrapHandle(this.runtime.spawnProcess(options));
    this.obs.programVersion = version;
    if (handle.pid !== undefined) {
      this.obs.program = { pid: handle.pid, startTime: this.runtime.processStartTime(handle.pid) };
      this.log.info({ pid: handle.pid }, 'program started');
      // Known before the policy hears of it: a stop that came during the spawn drains it at once.
      this.program = handle;
      this.dispatch({ type: 'program-spawned' });
    }
    await this.superviseProgram(handle);
  }

  /** Watches a live program until it exits, then lets the role clean up and say why, and reports. */
  private async superviseProgram(handle: ProcessHandle): Promise<void> {
    this.program = handle;
    const hooks: WatchHooks = {
      lockObserved: (source) => this.dispatch({ type: 'lock-observed', source }),
      registered: () => this.dispatch({ type: 'program-registered' }),
      unresponsive: (reason) => this.dispatch({ type: 'program-unresponsive', reason }),
      locked: () => this.state.locked,
      changed: () => this.save(),
    };
    this.role.watch(handle, hooks);
    const exit = await handle.exited;
    const verdict = await this.role.afterExit(exit, handle);
    this.program = undefined;
    this.obs.program = undefined;
    this.dispatch({ type: 'program-exited', ...exit, ...verdict });
  }

  private async evict(verifyFirst: boolean): Promise<void> {
    // The policy never evicts a long-lived host (lifecycle/transitions.ts), which has no token for it.
    const options = this.role.evictionOptions(verifyFirst);
    if (!options) return;
    this.log.info({ reason: this.state.reason, verifyFirst }, 'self-evicting');
    await this.store.settled();
    let result: EvictionResult;
    try {
      result = await evictWorkspace(options, {
        http: this.runtime.http,
        now: this.runtime.now,
        random: this.runtime.random,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        onAttempt: ({ attempt, verdict, status, waitMs }) => {
          this.log.info({ attempt, verdict: verdict.kind, status, waitMs }, 'eviction attempt');
          const why = verdict.kind === 'retry' || verdict.kind === 'wait-build' ? verdict.why : undefined;
          this.dispatch({ type: 'eviction-progress', attempt, status, why });
        },
      });
    } catch (error) {
      result = { outcome: 'failed', attempts: 0, lastStatus: undefined, message: describeError(error), durationMs: 0 };
    }
    this.log[result.outcome === 'failed' ? 'error' : 'info']({ ...result }, 'self-eviction finished');
    this.dispatch({
      type: 'eviction-finished',
      outcome: result.outcome,
      attempts: result.attempts,
      lastStatus: result.lastStatus,
      message: result.message,
    });
  }

  private async exit(code: number): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    this.timers.cancelAll();
    clearInterval(this.keepAlive);
    await this.store.settled();
    this.log.info({ code, state: this.state.phase, final: isFinal(this.state.phase) }, 'supervisor exiting');
    this.resolveExit?.(code);
  }
}
