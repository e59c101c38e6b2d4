/** Restart backoff after a runner crash, as Anthropic advises for the runner. */
export interface RestartBackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
}

/**
 * Nominal delay before the next restart. `shortRunsInRow` counts the consecutive runs that
 * were shorter than the short-run threshold, including the one that just ended (0 after a run
 * of a minute or more, which resets the delay).
 */
export function restartDelayMs(shortRunsInRow: number, options: RestartBackoffOptions): number {
  if (shortRunsInRow <= 1) return Math.min(options.initialDelayMs, options.maxDelayMs);
  const doubled = options.initialDelayMs * 2 ** Math.min(shortRunsInRow - 1, 30);
  return Math.min(doubled, options.maxDelayMs);
}

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
