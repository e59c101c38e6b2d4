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
