import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLongTimeout } from '../../../../supervisor/src/shared/timers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('setLongTimeout', () => {
  it('waits longer than Node allows one timer to (a year), instead of firing at once', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const year = 525_600 * 60_000;
    setLongTimeout(fired, year);
    vi.advanceTimersByTime(2 ** 31);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(year - 2 ** 31 - 1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('can be cancelled at any link of the chain', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const timer = setLongTimeout(fired, 2 ** 32);
    vi.advanceTimersByTime(2 ** 31 + 5);
    timer.cancel();
    vi.advanceTimersByTime(2 ** 33);
    expect(fired).not.toHaveBeenCalled();
  });
});
