import type { RestartPolicyConfig } from '../config/config.js';
import type { CheckVerdictKind, EvictionOutcome, EvictionRecord, Phase } from '../state/status.js';
import type { ExitKind } from './exit-kind.js';
import type { RunnerCap } from './lifetime-cap.js';
import type { BootFacts } from './boot.js';
import type { RoleProfile } from './role-profile.js';

export type { Phase };

/** The policy's timers, each armed and cancelled by effects and ended by a `timer-elapsed` event. */
export type TimerName = 'restart' | 'quarantine' | 'lifetime' | 'drain' | 'cap' | 'order-wait';

export interface PolicyState {
  phase: Phase;
  /** Sticky: from the first session on, this workspace belongs to one user. */
  locked: boolean;
  /** What showed the lock first (the session wrapper, /healthz, evidence at start). */
  lockSource: string | undefined;
  /** The supervised program is alive. */
  programAlive: boolean;
  /** Program starts after the first. */
  restarts: number;
  /** Consecutive crashed runs shorter than the short-run threshold. */
  shortRunsInRow: number;
  /** Consecutive runs that could not reach Anthropic (they never count toward a crash loop). */
  unreachableInRow: number;
  /** When the outage of Anthropic began (ms since epoch): kept across restarts, shown while it lasts. */
  unreachableSince: number | undefined;
  stopRequested: boolean;
  /** Why we are in this phase, for the dashboard and the log. */
  reason: string;
  lastError: string | undefined;
  /** Why the supervisor killed the program that is still alive (it stopped working, or outlived its cap). */
  killReason: string | undefined;
  /** The retirement time of max_lifetime_minutes (ms since epoch), decided at the first boot. */
  retireAt: number | undefined;
  /** The current run's lifetime cap (lifetime-cap.ts). */
  cap: RunnerCap | undefined;
  /** The boot's credential check: ok, refused: <fix>, unknown: <why>. */
  credentialCheck: string | undefined;
  /** The boot's checks and its credential check run at once; each waits here for the other. */
  checksPassed: boolean;
  credentialVerdict: { verdict: CheckVerdictKind; problem: string | undefined } | undefined;
  /** Self-eviction, as persisted (pending while it runs). */
  eviction: EvictionRecord | undefined;
  /** On-demand: this start brought a work order. */
  hasOrder: boolean;
  /** On-demand: a work order has been handed to a runner here (a workspace serves one). */
  orderUsed: boolean;
}

export interface PolicyOptions extends RestartPolicyConfig {
  profile: RoleProfile;
  quarantineMs: number;
  /** max_lifetime_minutes; 0 is no limit. */
  maxLifetimeMs: number;
  /** After --retire-at, how long an idle program that did not retire gets before it is drained. */
  lifetimeGraceMs: number;
  /** A stop's whole budget: after it, the drained program's group is killed. */
  stopBudgetMs: number;
  /** max_locked_minutes: the hard cap of one run (0: none, for a long-lived host). */
  maxLockedMs: number;
  /** On-demand: how long a workspace without a work order waits before it self-evicts (0: forever). */
  orderWaitMs: number;
}

interface At {
  /** When it happened (ms since epoch); the executor stamps every event. */
  at: number;
}

export type PolicyEvent = At &
  (
    | { type: 'boot'; facts: BootFacts }
    /** The checks before the first start (the role's preflight) are done. */
    | { type: 'checks-done'; problems: string[] }
    /** The boot's credential check (for the runner: that the self-evict token could delete the workspace). */
    | { type: 'credentials-checked'; verdict: CheckVerdictKind; problem?: string }
    | { type: 'program-spawned' }
    | {
        type: 'program-exited';
        exitCode: number | undefined;
        signal: string | undefined;
        runtimeMs: number;
        spawnError: string | undefined;
        /** Why, from the program's own lines. */
        kind: ExitKind;
        /** The program's line that says so, when it printed one. */
        line: string | undefined;
        /** Traces of a session found after it exited (isolation): evidence of the lock. */
        lockEvidence?: string;
      }
    /** The program is alive but no longer works: stopped (state T), /healthz silent, or its polls stale. */
    | { type: 'program-unresponsive'; reason: string }
    /** The program registered with Anthropic: an outage is over. */
    | { type: 'program-registered' }
    | { type: 'lock-observed'; source: string }
    | { type: 'timer-elapsed'; timer: TimerName }
    | { type: 'stop-requested' }
    | { type: 'eviction-progress'; attempt: number; status: number | undefined; why: string | undefined }
    | {
        type: 'eviction-finished';
        outcome: EvictionOutcome;
        attempts: number;
        lastStatus: number | undefined;
        message: string;
      }
  );

export type Effect =
  | { type: 'run-checks' }
  | { type: 'check-credentials' }
  | { type: 'spawn-program'; retireAtEpochSec: number | undefined }
  | { type: 'adopt-program'; pid: number; startTime: string | undefined }
  /** One SIGTERM: the program drains itself (a second would force it out). */
  | { type: 'drain-program' }
  /** SIGKILL to the program's group and to every process of the runner user. */
  | { type: 'kill-program'; reason: string }
  | { type: 'start-timer'; timer: TimerName; delayMs: number; jitter?: 'equal' }
  | { type: 'cancel-timers'; timers: TimerName[] }
  | { type: 'persist-lock'; source: string }
  /** Self-eviction; with `verifyFirst`, an earlier one may have reached Coder: read before posting. */
  | { type: 'evict'; verifyFirst: boolean }
  | { type: 'exit'; code: number };

export interface Transition {
  state: PolicyState;
  effects: Effect[];
}

export type EventOf<T extends PolicyEvent['type']> = Extract<PolicyEvent, { type: T }>;

export const initialPolicyState: PolicyState = {
  phase: 'starting',
  locked: false,
  lockSource: undefined,
  programAlive: false,
  restarts: 0,
  shortRunsInRow: 0,
  unreachableInRow: 0,
  unreachableSince: undefined,
  stopRequested: false,
  reason: 'supervisor starting',
  lastError: undefined,
  killReason: undefined,
  retireAt: undefined,
  cap: undefined,
  credentialCheck: undefined,
  checksPassed: false,
  credentialVerdict: undefined,
  eviction: undefined,
  hasOrder: false,
  orderUsed: false,
};

const finalPhases: readonly Phase[] = ['evicted', 'eviction-failed', 'stopped'];

export function isFinal(phase: Phase): boolean {
  return finalPhases.includes(phase);
}
