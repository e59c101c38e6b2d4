/**
 * The hard cap of a runner's life (max_locked_minutes), so of a locked workspace's: the runner
 * is told it as --retire-at at every start (the earlier of it and max_lifetime_minutes' time),
 * releases its sessions there (they resume on a fresh runner at their user's next message) and
 * exits; one still alive as long again after it, at most 15 minutes, is killed.
 */
const maxGraceMs = 15 * 60_000;

export interface RunnerCap {
  /** What --retire-at gets (Unix seconds). */
  retireAtEpochSec: number;
  /** The cap's time (ms), when it comes before max_lifetime_minutes' (else the lifetime's timer acts). */
  capAtMs: number | undefined;
  /** When a runner still alive after its --retire-at is killed (ms). */
  killAtMs: number;
  /** The cap in words, for the reason. */
  capText: string;
}

export function runnerCap(now: number, lifetimeRetireAtSec: number | undefined, maxLockedMs: number): RunnerCap {
  const capAtMs = now + maxLockedMs;
  const capSec = Math.floor(capAtMs / 1000);
  const minutes = maxLockedMs / 60_000;
  const capText = `max_locked_minutes = ${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)}`;
  const graceMs = Math.min(maxGraceMs, maxLockedMs);
  if (lifetimeRetireAtSec !== undefined && lifetimeRetireAtSec <= capSec) {
    return {
      retireAtEpochSec: lifetimeRetireAtSec,
      capAtMs: undefined,
      killAtMs: lifetimeRetireAtSec * 1000 + graceMs,
      capText: 'max_lifetime_minutes',
    };
  }
  return { retireAtEpochSec: capSec, capAtMs, killAtMs: capAtMs + graceMs, capText };
}

/** Whether a clean exit was the runner retiring at its cap (a second of slack for the clocks). */
export function retiredAtCap(cap: RunnerCap | undefined, now: number, clean: boolean): boolean {
  return clean && cap?.capAtMs !== undefined && now >= cap.capAtMs - 1000;
}
