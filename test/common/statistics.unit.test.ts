import { describe, expect, it } from 'vitest';
import {
  madOf,
  maxOf,
  meanOf,
  medianOf,
  minOf,
  percentileOf,
  percentilesOf,
  robustSigmaOf,
  standardErrorOf,
  stddevOf,
} from '../../src/common/statistics.js';

const values = [1, 2, 3, 4, 100];

describe('basic statistics', () => {
  it('computes min, max, mean and median exactly', () => {
    expect(minOf([3, 1, 4, 1, 5])).toBe(1);
    expect(maxOf([3, 1, 4, 1, 5])).toBe(5);
    expect(meanOf([1, 2, 3, 4])).toBe(2.5);
    expect(meanOf(values)).toBe(22);
    expect(medianOf(values)).toBe(3);
    expect(medianOf([4, 1, 3, 2])).toBe(2.5);
  });

  it('uses the sample standard deviation (n - 1)', () => {
    expect(stddevOf([2, 4, 4, 4, 5, 5, 7, 9])).toBe(Math.sqrt(32 / 7));
    expect(stddevOf([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935, 9);
    expect(stddevOf([1, 2, 3, 4])).toBe(Math.sqrt(5 / 3));
    expect(stddevOf([7])).toBe(0);
  });

  it('computes the standard error of the mean', () => {
    expect(standardErrorOf([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935 / Math.sqrt(8), 9);
    expect(standardErrorOf([1])).toBe(0);
  });

  it('refuses empty input with a RangeError naming the function', () => {
    expect(() => meanOf([])).toThrow(new RangeError('meanOf needs at least one value, got []'));
    expect(() => medianOf([])).toThrow('percentileOf needs at least one value, got []');
    expect(() => percentileOf([], 50)).toThrow(RangeError);
    expect(() => minOf([])).toThrow(RangeError);
  });
});

describe('percentileOf (linear between closest ranks)', () => {
  it('matches numpy on exact numbers', () => {
    expect(percentileOf([1, 2, 3, 4], 75)).toBe(3.25);
    expect(percentileOf([4, 3, 2, 1], 50)).toBe(2.5);
    expect(percentileOf([15, 20, 35, 40, 50], 40)).toBe(29);
    expect(percentileOf([15, 20, 35, 40, 50], 50)).toBe(35);
    expect(percentileOf([15, 20, 35, 40, 50], 95)).toBeCloseTo(48, 12);
    expect(percentileOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBeCloseTo(9.55, 12);
  });

  it('returns the ends at 0 and 100 and the value itself for one sample', () => {
    expect(percentileOf([5, 1, 9], 0)).toBe(1);
    expect(percentileOf([5, 1, 9], 100)).toBe(9);
    expect(percentileOf(values, 100)).toBe(100);
    expect(percentileOf([7], 99)).toBe(7);
  });

  it('rejects p outside 0..100', () => {
    expect(() => percentileOf([1], 101)).toThrow('percentileOf p must be from 0 to 100, got 101');
    expect(() => percentileOf([1], Number.NaN)).toThrow(RangeError);
  });

  it('gives p50, p95 and p99 of 1..100', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    const { p50, p95, p99 } = percentilesOf(hundred);
    expect(p50).toBe(50.5);
    expect(p95).toBeCloseTo(95.05, 10);
    expect(p99).toBeCloseTo(99.01, 10);
  });
});

describe('robust spread', () => {
  it('computes the MAD and the robust sigma, unmoved by one outlier', () => {
    expect(madOf(values)).toBe(1);
    expect(robustSigmaOf(values)).toBeCloseTo(1.4826 * 1.206, 12);
    const ten = [10, 11, 12, 13, 14, 15, 16, 17, 18, 1000];
    expect(madOf(ten)).toBe(2.5);
    expect(robustSigmaOf(ten)).toBeCloseTo(1.4826 * 2.5 * (10 / 9.2), 12);
    expect(robustSigmaOf([3])).toBe(0);
  });
});
