import type { HealthSnapshot } from './health.js';

/**
 * Whether a live runner still works, from what each health poll sees. The supervisor acts on a
 * runner that exits, and also on one that no longer works: a session can SIGSTOP its runner (it
 * then neither exits nor answers) and serve a rogue runner of its own meanwhile. A runner that
 * does not work is one that is stopped (state T), whose /healthz has not answered for longer
 * than the bound, or whose polls of Anthropic have gone stale for longer than the bound. The
 * bound (runner_unresponsive_seconds) is far beyond what a working runner ever reaches.
 */
export interface LivenessSample {
  now: number;
  health: HealthSnapshot | undefined;
  /** The pid found stopped (state T), if any. */
  stoppedPid: number | undefined;
}

export class RunnerLiveness {
  /** Since when /healthz has not answered: the runner's start until its first answer. */
  private silentSince: number;

  constructor(
    startedAt: number,
    private readonly boundMs: number,
  ) {
    this.silentSince = startedAt;
  }

  /** Why the runner no longer works, or undefined while it works. */
  observe(sample: LivenessSample): string | undefined {
    if (sample.stoppedPid !== undefined) return `the runner process ${sample.stoppedPid} is stopped (state T)`;
    const bound = Math.round(this.boundMs / 1000);
    if (sample.health) {
      this.silentSince = sample.now;
      // A draining runner stops polling on purpose; its drain has a budget of its own.
      if (sample.health.status === 'draining') return undefined;
      const age = sample.health.lastPollAgeMs;
      if (age !== undefined && age > this.boundMs) {
        return `its last poll of Anthropic was ${Math.round(age / 1000)} s ago, more than ${bound} s`;
      }
      return undefined;
    }
    if (sample.now - this.silentSince > this.boundMs) {
      return `its /healthz has not answered for more than ${bound} s`;
    }
    return undefined;
  }
}
