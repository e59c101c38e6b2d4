import { describe, expect, it } from 'vitest';
import { equalJitter, fullJitter } from '../../../../supervisor/src/shared/jitter.js';

describe('jitter', () => {
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
