import { describe, expect, it } from 'vitest';
import {
  computeMad,
  computeMean,
  computeMedian,
  computePercentile,
  computeRobustSigma,
  computeStandardError,
  computeStddev,
  estimateNoise,
} from '../../src/verdict/statistics.js';

const values = [1, 2, 3, 4, 100];

describe('statistics', () => {
  it('computes mean, median and sample standard deviation', () => {
    expect(computeMean(values)).toBe(22);
    expect(computeMedian(values)).toBe(3);
    expect(computeMedian([4, 1, 3, 2])).toBe(2.5);
    expect(computeStddev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935, 9);
    expect(computeStddev([5])).toBe(0);
  });

  it('interpolates percentiles between closest ranks', () => {
    expect(computePercentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBeCloseTo(9.55, 12);
    expect(computePercentile([1, 2, 3, 4], 75)).toBe(3.25);
    expect(computePercentile([7], 99)).toBe(7);
    expect(computePercentile(values, 0)).toBe(1);
    expect(computePercentile(values, 100)).toBe(100);
  });

  it('rejects empty input and percentiles out of range', () => {
    expect(() => computeMean([])).toThrow('mean needs at least one value, got none');
    expect(() => computePercentile([1], 101)).toThrow('percentile must be from 0 to 100, got 101');
  });

  it('computes the MAD and the robust sigma, unmoved by one outlier', () => {
    expect(computeMad(values)).toBe(1);
    expect(computeRobustSigma(values)).toBeCloseTo(1.4826 * 1.206, 12);
    const ten = [10, 11, 12, 13, 14, 15, 16, 17, 18, 1000];
    expect(computeMad(ten)).toBe(2.5);
    expect(computeRobustSigma(ten)).toBeCloseTo(1.4826 * 2.5 * (10 / 9.2), 12);
    expect(computeRobustSigma([3])).toBe(0);
  });

  it('computes the standard error of the mean', () => {
    expect(computeStandardError([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935 / Math.sqrt(8), 9);
    expect(computeStandardError([1])).toBe(0);
  });

  it('estimates noise from between-run spread, the median uncertainty and within-run error', () => {
    const history = [10, 11, 12, 13, 14];
    const sigma = 1.4826 * 1 * 1.206;
    const noise = estimateNoise(history, 0.5, 1);
    expect(noise.betweenRun).toBeCloseTo(sigma, 12);
    expect(noise.total).toBeCloseTo(Math.sqrt(sigma ** 2 * (1 + Math.PI / 10) + 0.25), 12);
    expect(noise.floored).toBe(false);
  });

  it('floors the noise at a share of the baseline when the history is too quiet', () => {
    const noise = estimateNoise([10, 10, 10, 10], 0, 2);
    expect(noise.total).toBeCloseTo(0.2, 12);
    expect(noise.floored).toBe(true);
  });
});
