import { describe, expect, it } from 'vitest';
import { slopeOf } from '../../src/suites/sessions/memory-stability.js';

describe('slopeOf', () => {
  it('is the least-squares slope per step', () => {
    expect(slopeOf([1, 2, 3, 4])).toBe(1);
    expect(slopeOf([5, 5, 5])).toBe(0);
    expect(slopeOf([2, 0, 2, 0])).toBeCloseTo(-0.4, 12);
  });

  it('is 0 for fewer than two readings', () => {
    expect(slopeOf([])).toBe(0);
    expect(slopeOf([7])).toBe(0);
  });
});
