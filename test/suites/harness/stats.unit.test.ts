import { describe, expect, it } from 'vitest';
import {
  maxOf,
  meanOf,
  minOf,
  percentileOf,
  percentilesOf,
  stddevOf,
  summarizeLatencies,
} from '../../../src/suites/harness/stats.js';

describe('basic statistics', () => {
  it('computes min, max and mean exactly', () => {
    expect(minOf([3, 1, 4, 1, 5])).toBe(1);
    expect(maxOf([3, 1, 4, 1, 5])).toBe(5);
    expect(meanOf([1, 2, 3, 4])).toBe(2.5);
  });

  it('uses the sample standard deviation (n - 1)', () => {
    expect(stddevOf([2, 4, 4, 4, 5, 5, 7, 9])).toBe(Math.sqrt(32 / 7));
    expect(stddevOf([1, 2, 3, 4])).toBe(Math.sqrt(5 / 3));
    expect(stddevOf([7])).toBe(0);
  });

  it('refuses empty input with a RangeError', () => {
    expect(() => meanOf([])).toThrow(/meanOf needs at least one value/);
    expect(() => percentileOf([], 50)).toThrow(RangeError);
    expect(() => summarizeLatencies([])).toThrow(RangeError);
  });
});

describe('percentileOf (linear between closest ranks)', () => {
  it('matches numpy on exact numbers', () => {
    expect(percentileOf([1, 2, 3, 4], 75)).toBe(3.25);
    expect(percentileOf([4, 3, 2, 1], 50)).toBe(2.5);
    expect(percentileOf([15, 20, 35, 40, 50], 40)).toBe(29);
    expect(percentileOf([15, 20, 35, 40, 50], 50)).toBe(35);
    expect(percentileOf([15, 20, 35, 40, 50], 95)).toBeCloseTo(48, 12);
  });

  it('returns the ends at 0 and 100 and the value itself for one sample', () => {
    expect(percentileOf([5, 1, 9], 0)).toBe(1);
    expect(percentileOf([5, 1, 9], 100)).toBe(9);
    expect(percentileOf([7], 99)).toBe(7);
  });

  it('rejects p outside 0..100', () => {
    expect(() => percentileOf([1], 101)).toThrow(/from 0 to 100, got 101/);
    expect(() => percentileOf([1], Number.NaN)).toThrow(RangeError);
  });

  it('gives p50, p95 and p99 of 1..100', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const { p50, p95, p99 } = percentilesOf(values);
    expect(p50).toBe(50.5);
    expect(p95).toBeCloseTo(95.05, 10);
    expect(p99).toBeCloseTo(99.01, 10);
  });
});

describe('summarizeLatencies', () => {
  it('returns every latency metric with its unit and direction', () => {
    const summary = summarizeLatencies([1, 2, 3, 4]);
    expect(summary.min_ms).toEqual({ value: 1, unit: 'ms', direction: 'lower' });
    expect(summary.avg_ms.value).toBe(2.5);
    expect(summary.p50_ms.value).toBe(2.5);
    expect(summary.p95_ms.value).toBeCloseTo(3.85, 12);
    expect(summary.p99_ms.value).toBeCloseTo(3.97, 12);
    expect(summary.max_ms.value).toBe(4);
    expect(summary.stddev_ms.value).toBe(Math.sqrt(5 / 3));
    expect(Object.keys(summary)).toEqual(['min_ms', 'avg_ms', 'p50_ms', 'p95_ms', 'p99_ms', 'max_ms', 'stddev_ms']);
  });
});
