/** Random spreads of retry delays, so that a fleet that failed together does not retry together. */

/**
 * "Equal jitter": a delay drawn uniformly from [delay/2, delay], so restarts of many
 * workspaces that crashed together spread out, yet never come sooner than half the delay.
 */
export function equalJitter(delayMs: number, random: () => number): number {
  const half = delayMs / 2;
  return Math.round(half + random() * half);
}

/** "Full jitter" (AWS architecture blog): uniform in [0, min(cap, base * 2^attempt)]. */
export function fullJitter(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(random() * ceiling);
}
