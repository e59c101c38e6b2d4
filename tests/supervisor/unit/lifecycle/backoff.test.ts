import { describe, expect, it } from 'vitest';
import { restartDelayMs } from '../../../../supervisor/src/lifecycle/backoff.js';

describe('restart backoff (Anthropic: 5 s, doubled after each short run, capped at 5 min)', () => {
  it('doubles from the initial delay up to the cap', () => {
    const options = { initialDelayMs: 5000, maxDelayMs: 300_000 };
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 60].map((n) => restartDelayMs(n, options))).toEqual([
      5000, 5000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000,
    ]);
  });
});
