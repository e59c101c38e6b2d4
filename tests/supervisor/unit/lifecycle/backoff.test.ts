import { describe, expect, it } from 'vitest';
import { equalJitter, fullJitter, restartDelayMs } from '../../../../supervisor/src/lifecycle/backoff.js';

describe('restart backoff (Anthropic: 5 s, doubled after each short run, capped at 5 min)', () => {
  it('doubles from the initial delay up to the cap', () => {
    const options = { initialDelayMs: 5000, maxDelayMs: 300_000 };
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 60].map((n) => restartDelayMs(n, options))).toEqual([
      5000, 5000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000,
    ]);
  });

  it('equal jitter stays within [delay/2, delay]', () => {
    expect(equalJitter(10_000, () => 0)).toBe(5000);
    expect(equalJitter(10_000, () => 0.999_999)).toBe(10_000);
  });

  it('full jitter stays within [0, min(cap, base * 2^attempt)]', () => {
    expect(fullJitter(3, 1000, 60_000, () => 0.5)).toBe(4000);
    expect(fullJitter(30, 1000, 60_000, () => 1)).toBe(60_000);
    expect(fullJitter(2, 1000, 60_000, () => 0)).toBe(0);
  });
});
