import { ChildLiveness } from '../child-liveness.js';
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
  private readonly child: ChildLiveness;

  constructor(startedAt: number, boundMs: number) {
    this.child = new ChildLiveness('runner', startedAt, boundMs);
  }

  /** Why the runner no longer works, or undefined while it works. */
  observe(sample: LivenessSample): string | undefined {
    const reason = this.child.observe(sample.now, sample.health !== undefined, sample.stoppedPid);
    // A draining runner stops polling on purpose; its drain has a budget of its own.
    if (reason || !sample.health || sample.health.status === 'draining') return reason;
    const age = sample.health.lastPollAgeMs;
    if (age !== undefined && age > this.child.boundMs) {
      return `its last poll of Anthropic was ${Math.round(age / 1000)} s ago, more than ${Math.round(this.child.boundMs / 1000)} s`;
    }
    return undefined;
  }
}
