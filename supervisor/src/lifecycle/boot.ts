import { evictionStarted, type EvictionRecord, type SupervisorStatus } from '../state/status.js';

/** What the supervisor finds on disk and in /proc when it starts (the executor gathers it). */
export interface BootFacts {
  previous: SupervisorStatus | undefined;
  /** The lock record exists in the state dir (the wrapper's, or the supervisor's own). */
  lockRecordExists: boolean;
  /** With isolation: why the workspace may already have served a session (workspace/usage-evidence.ts). */
  evidence: string | undefined;
  /** The runner runs as a user of its own (docs/isolation.md). */
  isolated: boolean;
  /** The program recorded in the previous status is still alive (its supervisor was killed). */
  orphanAlive: boolean;
  /** On-demand: this start brings a work order. */
  hasOrder: boolean;
}

/** What to do about it, decided without any I/O. */
export interface BootPlan {
  locked: boolean;
  lockSource: string | undefined;
  /** The evidence found at start is the lock: its record must be written. */
  persistEvidence: boolean;
  /** An eviction was accepted or was under way: it is confirmed with Coder, never started anew. */
  evictionStarted: boolean;
  eviction: EvictionRecord | undefined;
  /** The retirement time (ms since epoch), kept across restarts so none extends it. */
  retireAt: number | undefined;
  lifetimeOver: boolean;
  /** A program left alive by a killed supervisor: watch it instead of starting another. */
  adoptOrphan: boolean;
  /** On-demand: a work order was handed to a runner before this start, so the workspace is spent. */
  orderSpent: boolean;
  /** An outage of Anthropic that the previous supervisor was in: since when, and the runs it cost. */
  outage: { since: number; tries: number } | undefined;
}

function outageOf(previous: SupervisorStatus | undefined): BootPlan['outage'] {
  const since = previous?.outageSince ? Date.parse(previous.outageSince) : Number.NaN;
  return Number.isFinite(since) && (previous?.outageTries ?? 0) > 0
    ? { since, tries: previous?.outageTries as number }
    : undefined;
}

export function planBoot(facts: BootFacts, now: number, maxLifetimeMs: number): BootPlan {
  const { previous } = facts;
  // With isolation, anything that says the workspace may have served a session counts as the lock.
  const locked = facts.lockRecordExists || facts.evidence !== undefined || previous?.locked === true;
  let retireAt: number | undefined;
  if (maxLifetimeMs > 0) {
    retireAt = previous?.retireAtEpochSec !== undefined ? previous.retireAtEpochSec * 1000 : now + maxLifetimeMs;
  }
  return {
    locked,
    lockSource: facts.evidence ? `used before this start: ${facts.evidence}` : previous?.lockSource,
    persistEvidence: facts.evidence !== undefined,
    // The policy confirms such an eviction with Coder before it posts anything.
    evictionStarted: evictionStarted(previous?.eviction),
    eviction: previous?.eviction,
    retireAt,
    lifetimeOver: retireAt !== undefined && now >= retireAt,
    // Under isolation a runner left by a killed supervisor was killed at start (usage-evidence.ts).
    adoptOrphan: facts.orphanAlive && !facts.isolated && previous?.programPid !== undefined,
    orderSpent: previous?.orderUsed === true,
    outage: outageOf(previous),
  };
}
