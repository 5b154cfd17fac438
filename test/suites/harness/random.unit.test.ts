import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/suites/harness/random.js';

const take = (seed: number, n: number): number[] => {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => random.next());
};

describe('createRandom', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    expect(take(42, 20)).toEqual(take(42, 20));
    expect(take(42, 20)).not.toEqual(take(43, 20));
    expect(createRandom(42 + 2 ** 32).next()).toBe(createRandom(42).next());
    expect(createRandom(-1).seed).toBe(2 ** 32 - 1);
  });

  it('gives floats in [0, 1) with a mean near one half', () => {
    const values = take(7, 10_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });

  it('int covers both ends of the range and nothing outside it', () => {
    const random = createRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i += 1) seen.add(random.int(-2, 3));
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    expect(random.int(5, 5)).toBe(5);
    expect(() => random.int(3, 2)).toThrow(/min <= max, got \(3, 2\)/);
    expect(() => random.int(0.5, 2)).toThrow(RangeError);
  });

  it('chance(p) hits about p of the time, never at 0 and always at 1', () => {
    const random = createRandom(3);
    let hits = 0;
    for (let i = 0; i < 10_000; i += 1) if (random.chance(0.3)) hits += 1;
    expect(hits / 10_000).toBeCloseTo(0.3, 1);
    expect(Array.from({ length: 100 }, () => random.chance(0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, () => random.chance(1)).every(Boolean)).toBe(true);
    expect(() => random.chance(1.5)).toThrow(/from 0 to 1, got 1.5/);
  });

  it('pick chooses every element and refuses an empty array', () => {
    const random = createRandom(9);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i += 1) seen.add(random.pick(['a', 'b', 'c']));
    expect(seen).toEqual(new Set(['a', 'b', 'c']));
    expect(() => random.pick([])).toThrow(/non-empty/);
  });
});
