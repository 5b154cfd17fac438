import { describe, expect, it } from 'vitest';
import { estimateNoise } from '../../src/verdict/noise.js';

describe('estimateNoise', () => {
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
