import { describe, expect, it } from 'vitest';
import { chordRatio } from '../../src/suites/bench/scaling.js';
import { commitOverheadMs } from '../../src/suites/bench/transaction.js';

const at = (f: (n: number) => number) => [10, 25, 50, 100].map((size) => ({ size, ms: f(size) }));

describe('bench scaling arithmetic', () => {
  it('rates exactly linear growth 1, whatever the fixed overhead', () => {
    expect(chordRatio(at((n) => 4 + 0.05 * n))).toBeCloseTo(1, 12);
    expect(chordRatio(at((n) => 0.2 * n))).toBeCloseTo(1, 12);
  });

  it('rates growth dominated by a fixed overhead below 1 and super-linear growth above it', () => {
    expect(chordRatio(at((n) => 5 + Math.sqrt(n)))).toBeLessThan(1);
    // t = 1 + 0.0003 n²: the line from 10 to 100 runs at 2.35 where 50 rows take 1.75.
    expect(chordRatio(at((n) => 1 + 0.0003 * n * n))).toBeCloseTo(2.35 / 1.75, 2);
    expect(chordRatio([{ size: 100, ms: 3 }, { size: 10, ms: 1 }, { size: 55, ms: 1 }])).toBe(2);
  });

  it('needs three points of distinct sizes', () => {
    expect(() => chordRatio([{ size: 10, ms: 1 }, { size: 100, ms: 2 }])).toThrow(RangeError);
    expect(() => chordRatio([{ size: 10, ms: 1 }, { size: 10, ms: 2 }, { size: 10, ms: 3 }])).toThrow(RangeError);
  });

  it('splits a transaction into its fixed cost and its cost per operation', () => {
    // t(n) = 4 + 1.5 n: t(1) = 5.5, t(5) = 11.5.
    expect(commitOverheadMs(5.5, 11.5, 5)).toBeCloseTo(4);
  });
});
