import { evictionStarted, type SupervisorStatus } from '../state/status.js';

/** What the supervisor finds on disk and in /proc when it starts. */
export interface BootFacts {
  now: number;
  previous: SupervisorStatus | undefined;
  /** The session wrapper's lock record exists. */
  lockedFlagExists: boolean;
  /** The runner recorded in the previous status is still alive (its supervisor was killed). */
  orphanAlive: boolean;
  maxLifetimeMs: number;
}

/** What to do about it, decided without any I/O. */
export interface BootPlan {
  locked: boolean;
  alreadyEvicted: boolean;
  /** The runner's retirement time (ms since epoch), kept across restarts so none extends it. */
  retireAt: number | undefined;
  lifetimeOver: boolean;
  /** A runner left alive by a killed supervisor: watch it instead of starting another. */
  adoptOrphan: boolean;
  /** Check binaries and the base dir only when a runner may be started. */
  runPreflight: boolean;
  /** Drain an idle runner that outlives its --retire-at (the runner retires itself first). */
  armLifetimeTimer: boolean;
}

export function planBoot(facts: BootFacts): BootPlan {
  const { previous } = facts;
  const locked = facts.lockedFlagExists || previous?.locked === true;
  // The policy confirms such an eviction with Coder before it posts anything.
  const alreadyEvicted = evictionStarted(previous?.eviction);
  let retireAt: number | undefined;
  if (facts.maxLifetimeMs > 0) {
    retireAt =
      previous?.retireAtEpochSec !== undefined ? previous.retireAtEpochSec * 1000 : facts.now + facts.maxLifetimeMs;
  }
  const adoptOrphan = facts.orphanAlive && previous?.runnerPid !== undefined;
  return {
    locked,
    alreadyEvicted,
    retireAt,
    lifetimeOver: retireAt !== undefined && facts.now >= retireAt,
    adoptOrphan,
    runPreflight: !locked && !alreadyEvicted && !adoptOrphan,
    armLifetimeTimer: retireAt !== undefined && !locked,
  };
}
