import { describe, expect, it } from 'vitest';
import { meanOf, percentileOf, stddevOf } from '../../../src/common/statistics.js';
import { createRandom } from '../../../src/suites/harness/random.js';
import { LatencyReservoir } from '../../../src/suites/harness/reservoir.js';

const fill = (reservoir: LatencyReservoir, values: readonly number[]): LatencyReservoir => {
  for (const v of values) reservoir.add(v);
  return reservoir;
};

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('LatencyReservoir', () => {
  it('keeps every value while below capacity, in arrival order', () => {
    const reservoir = fill(new LatencyReservoir({ capacity: 5 }), [3, 1, 2]);
    expect(reservoir.values).toEqual([3, 1, 2]);
    expect(reservoir.observed).toBe(3);
    expect(reservoir.sum).toBe(6);
  });

  it('never keeps more than its capacity, default 2,000', () => {
    const reservoir = fill(new LatencyReservoir(), range(5_000));
    expect(reservoir.capacity).toBe(2_000);
    expect(reservoir.values).toHaveLength(2_000);
    expect(reservoir.observed).toBe(5_000);
  });

  it('is exact for min, max, avg and stddev over all observations once full', () => {
    const all = range(10_000).map((i) => (i * 7919) % 10_000);
    const figures = fill(new LatencyReservoir({ capacity: 100, seed: 5 }), all).figures();
    expect(figures?.min).toBe(0);
    expect(figures?.max).toBe(9_999);
    expect(figures?.avg).toBe(4_999.5);
    expect(figures?.stddev).toBeCloseTo(stddevOf(all), 6);
    expect(figures?.stddev).toBeCloseTo(Math.sqrt((10_000 * 10_001) / 12), 6);
  });

  it('gives exact percentiles while not full', () => {
    const metrics = fill(new LatencyReservoir({ capacity: 10 }), [1, 2, 3, 4]).summarize();
    expect(metrics?.p50_ms.value).toBe(2.5);
    expect(metrics?.avg_ms).toEqual({ value: 2.5, unit: 'ms', direction: 'lower' });
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const sample = (seed: number): number[] => fill(new LatencyReservoir({ capacity: 50, seed }), range(1_000)).values;
    expect(sample(11)).toEqual(sample(11));
    expect(sample(11)).not.toEqual(sample(12));
    const shared = fill(new LatencyReservoir({ capacity: 50, random: createRandom(11) }), range(1_000));
    expect(shared.values).toEqual(sample(11));
  });

  it('keeps a uniform sample of a long stream (seeded)', () => {
    const reservoir = fill(new LatencyReservoir({ capacity: 1_000, seed: 2024 }), range(100_000));
    const kept = reservoir.values;
    // Uniform over 0..99,999: mean 49,999.5 with a standard error of about 913.
    expect(Math.abs(meanOf(kept) - 49_999.5)).toBeLessThan(3_000);
    expect(Math.abs(percentileOf(kept, 50) - 50_000)).toBeLessThan(5_000);
    // Each tenth of the stream holds about a tenth of the sample (100 +- 3 sigma of ~9.5).
    const perTenth = range(10).map((t) => kept.filter((v) => Math.floor(v / 10_000) === t).length);
    for (const count of perTenth) expect(Math.abs(count - 100)).toBeLessThan(35);
  });

  it('has no figures before the first value and rejects non-finite values', () => {
    const reservoir = new LatencyReservoir();
    expect(reservoir.figures()).toBeUndefined();
    expect(reservoir.summarize()).toBeUndefined();
    expect(() => reservoir.add(Number.NaN)).toThrow(/finite/);
    expect(() => new LatencyReservoir({ capacity: 0 })).toThrow(/at least 1, got 0/);
  });

  it('produces Samples rounded to the microsecond', () => {
    const samples = fill(new LatencyReservoir(), [1.23456, 2.0004]).toSamples();
    expect(samples).toEqual({ unit: 'ms', observed: 2, values: [1.235, 2] });
  });
});
