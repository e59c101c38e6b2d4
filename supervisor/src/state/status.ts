/** The supervisor's phases, as status.json and the dashboard name them. */
export type Phase =
  | 'starting'
  /** On-demand: a runner workspace (a prebuild) that has no work order yet. */
  | 'waiting-for-order'
  | 'running'
  | 'backoff'
  /** Anthropic cannot be reached: retrying with a capped backoff for as long as the outage lasts. */
  | 'unreachable'
  | 'quarantined'
  | 'draining'
  | 'evicting'
  | 'evicted'
  | 'eviction-failed'
  | 'stopped';

/**
 * Whether an eviction was accepted, or was under way when the supervisor stopped: it is due
 * again (confirmed with Coder first, since a pending one may have reached it).
 */
export function evictionStarted(eviction: EvictionRecord | undefined): boolean {
  const outcome = eviction?.outcome;
  return outcome === 'pending' || outcome === 'succeeded' || outcome === 'already-deleted';
}

/** How a self-eviction ended. */
export type EvictionOutcome = 'succeeded' | 'already-deleted' | 'failed';

/** The outcome of self-eviction, as persisted. */
export interface EvictionRecord {
  outcome: EvictionOutcome | 'pending';
  attempts: number;
  lastStatus: number | undefined;
  message: string;
  at: string;
}

/** The supervisor's persisted state (`status.json`); `status` prints it. */
export interface SupervisorStatus {
  schema: 1;
  state: Phase | 'not-started';
  reason: string;
  /** The state in a few words with the fix, as the dashboard shows it. */
  display: string | undefined;
  locked: boolean;
  lockSource: string | undefined;
  supervisorPid: number | undefined;
  runnerPid: number | undefined;
  runnerStartTime: string | undefined;
  runnerId: string | undefined;
  runnerVersion: string | undefined;
  capacity: number | undefined;
  activeSessions: number | undefined;
  sessionsSeen: number;
  lastPollAgeMs: number | undefined;
  healthStatus: string | undefined;
  healthCheckedAt: string | undefined;
  restarts: number;
  lastError: string | undefined;
  retireAtEpochSec: number | undefined;
  eviction: EvictionRecord | undefined;
  /** The self-evict token's check at boot: ok, refused: <fix>, unknown: <why>. */
  tokenCheck?: string;
  startedAt: string | undefined;
  updatedAt: string;
  /** `isolation: on (<user>, via sudo|root)` or `isolation: off (<why>)` (docs/isolation.md). */
  isolation?: string;
  /** An outage of Anthropic under way: since when, and how many runner starts it cost (kept across restarts). */
  outageSince?: string;
  outageTries?: number;
  /** On-demand: a work order was handed to a runner in this workspace (it is spent after one). */
  orderUsed?: boolean;
  /** The orchestrator's own view, from its /healthz and /metrics (the orchestrator role only). */
  orchestrator?: OrchestratorStatus;
}

export interface OrchestratorStatus {
  connected: boolean | undefined;
  lastPollAt: string | undefined;
  lastError: string | undefined;
  /** spawn-runner hooks by outcome since the orchestrator started. */
  hooks: { ok: number; retryable: number; nonRetryable: number } | undefined;
  /** Standby work orders handed to the hook (--min-idle). */
  standbyDispatched: number | undefined;
  minIdle: number;
  /** Session requests waiting for a runner. */
  pending: number | undefined;
}

export function emptyStatus(now: Date): SupervisorStatus {
  return {
    schema: 1,
    state: 'not-started',
    reason: 'the supervisor has not run in this workspace',
    display: undefined,
    locked: false,
    lockSource: undefined,
    supervisorPid: undefined,
    runnerPid: undefined,
    runnerStartTime: undefined,
    runnerId: undefined,
    runnerVersion: undefined,
    capacity: undefined,
    activeSessions: undefined,
    sessionsSeen: 0,
    lastPollAgeMs: undefined,
    healthStatus: undefined,
    healthCheckedAt: undefined,
    restarts: 0,
    lastError: undefined,
    retireAtEpochSec: undefined,
    eviction: undefined,
    startedAt: undefined,
    updatedAt: now.toISOString(),
  };
}
