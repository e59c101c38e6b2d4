/** Node's timers hold at most 2^31-1 ms (about 24.8 days); a longer delay fires at once. */
const maxTimerMs = 2 ** 31 - 1;

export interface LongTimer {
  cancel(): void;
}

/**
 * A timeout of any length: delays beyond Node's limit are chained, so a quarantine or a
 * lifetime of a year waits a year instead of firing at once.
 */
export function setLongTimeout(callback: () => void, delayMs: number, unref = false): LongTimer {
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = (remaining: number): void => {
    const step = Math.min(Math.max(0, remaining), maxTimerMs);
    timer = setTimeout(() => {
      if (cancelled) return;
      if (remaining > step) arm(remaining - step);
      else callback();
    }, step);
    if (unref) timer.unref();
  };
  arm(delayMs);
  return {
    cancel: () => {
      cancelled = true;
      clearTimeout(timer);
    },
  };
}
