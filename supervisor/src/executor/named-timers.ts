import type { TimerName } from '../lifecycle/policy-types.js';
import { setLongTimeout, type LongTimer } from '../shared/timers.js';

/** The policy's timers by name: arming one again replaces it. */
export class NamedTimers {
  private readonly timers = new Map<TimerName, LongTimer>();

  start(name: TimerName, delayMs: number, fire: () => void): void {
    this.timers.get(name)?.cancel();
    this.timers.set(
      name,
      setLongTimeout(() => {
        this.timers.delete(name);
        fire();
      }, delayMs),
    );
  }

  cancel(names: readonly TimerName[]): void {
    for (const name of names) {
      this.timers.get(name)?.cancel();
      this.timers.delete(name);
    }
  }

  cancelAll(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }
}
