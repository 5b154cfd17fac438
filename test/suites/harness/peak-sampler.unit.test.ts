import { describe, expect, it } from 'vitest';
import { sampleWhile, startPeakSampler } from '../../../src/suites/harness/peak-sampler.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startPeakSampler', () => {
  it('keeps the largest value of each reading, reading at start, on demand and at stop', () => {
    const gauge = { inUse: 2, waiting: 0 };
    const sampler = startPeakSampler(() => ({ ...gauge }), 1_000);
    gauge.inUse = 7;
    gauge.waiting = 3;
    sampler.sample();
    gauge.inUse = 1;
    gauge.waiting = 5;
    expect(sampler.stop()).toEqual({ inUse: 7, waiting: 5 });
    expect(sampler.count).toBe(3);
    gauge.inUse = 100;
    sampler.sample();
    expect(sampler.peaks).toEqual({ inUse: 7, waiting: 5 });
  });

  it('samples on its interval and skips readings that throw', async () => {
    let reads = 0;
    const sampler = startPeakSampler(() => {
      reads += 1;
      if (reads === 2) throw new Error('pool closed');
      return { value: reads };
    }, 2);
    await sleep(30);
    const peaks = sampler.stop();
    expect(peaks.value).toBeGreaterThanOrEqual(3);
    expect(sampler.count).toBe(reads - 1);
    expect(() => startPeakSampler(() => ({}), 0)).toThrow(/positive number of ms, got 0/);
  });
});

describe('sampleWhile', () => {
  it('returns the value of the work and the peaks seen while it ran', async () => {
    let level = 0;
    const { value, peaks } = await sampleWhile(
      async () => {
        for (const next of [3, 9, 4]) {
          level = next;
          await sleep(8);
        }
        level = 0;
        return 'done';
      },
      () => ({ level }),
      1,
    );
    expect(value).toBe('done');
    expect(peaks.level).toBe(9);
  });

  it('stops sampling when the work rejects', async () => {
    await expect(sampleWhile(() => Promise.reject(new Error('boom')), () => ({ x: 1 }), 1)).rejects.toThrow('boom');
  });
});
