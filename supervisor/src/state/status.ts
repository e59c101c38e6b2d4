import type { RoleName } from '../config/inputs.js';

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

/**
 * The verdict of a check against Coder (the self-evict token's, the spawn token's): every check
 * gives this one type (coder-api/answer.ts reads the answers), and the policy reads it.
 */
export type CheckVerdict =
  | { verdict: 'ok' }
  /** Coder said no: `problem` says what to fix. */
  | { verdict: 'refused'; problem: string }
  /** Coder could not be asked (no answer, or a transient one): nothing is known. */
  | { verdict: 'unknown'; problem: string };

export type CheckVerdictKind = CheckVerdict['verdict'];

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

/**
 * The supervisor's persisted state (`status.json`; `status` prints it): a core that every role
 * has, written by the executor from the policy's state, and the role's own part (its fields,
 * written and read only by the role: roles/<name>/<name>-status.ts), told apart by `role`.
 */
export interface StatusCore {
  schema: 1;
  /** Which role wrote it (the runner's, when an older supervisor wrote none). */
  role: RoleName;
  state: Phase | 'not-started';
  reason: string;
  /** The state in a few words with the fix, as the dashboard shows it. */
  display: string | undefined;
  locked: boolean;
  lockSource: string | undefined;
  supervisorPid: number | undefined;
  /** The supervised program (the runner, the orchestrator) while it lives. */
  programPid: number | undefined;
  programStartTime: string | undefined;
  programVersion: string | undefined;
  restarts: number;
  lastError: string | undefined;
  retireAtEpochSec: number | undefined;
  eviction: EvictionRecord | undefined;
  /** The credential's check at boot (the self-evict token's, the spawn token's): ok, refused: <fix>, unknown: <why>. */
  tokenCheck?: string;
  startedAt: string | undefined;
  updatedAt: string;
  /** `isolation: on (<user>, via sudo|root)` or `isolation: off (<why>)` (docs/isolation.md). */
  isolation?: string;
  /** An outage of Anthropic under way: since when, and how many program starts it cost (kept across restarts). */
  outageSince?: string;
  outageTries?: number;
  /** On-demand: a work order was handed to a runner in this workspace (it is spent after one). */
  orderUsed?: boolean;
}

/** A role's part: plain JSON fields that only that role writes and reads. */
export type RolePart = { [field: string]: unknown };

/** The status as the state layer knows it: the core, and a role's part that the role reads. */
export type SupervisorStatus<Part extends object = RolePart> = StatusCore & Part;

export function emptyStatus(now: Date, role: RoleName = 'runner'): SupervisorStatus {
  return {
    schema: 1,
    role,
    state: 'not-started',
    reason: 'the supervisor has not run in this workspace',
    display: undefined,
    locked: false,
    lockSource: undefined,
    supervisorPid: undefined,
    programPid: undefined,
    programStartTime: undefined,
    programVersion: undefined,
    restarts: 0,
    lastError: undefined,
    retireAtEpochSec: undefined,
    eviction: undefined,
    startedAt: undefined,
    updatedAt: now.toISOString(),
  };
}
