import { describe, expect, it } from 'vitest';
import { LatencyRecorder } from '../../../src/suites/harness/latency-recorder.js';
import { runLoad, type LoadContext } from '../../../src/suites/harness/load-runner.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runLoad', () => {
  it('runs concurrency x iterations calls, each worker its own iterations', async () => {
    const calls: LoadContext[] = [];
    const result = await runLoad({
      concurrency: 4,
      iterations: 5,
      operation: async (context) => {
        calls.push(context);
        await sleep(1);
      },
    });
    expect(result.metrics.total.value).toBe(20);
    expect(result.metrics.successful.value).toBe(20);
    expect(result.stoppedBy).toBe('completed');
    expect(result.samples.observed).toBe(20);
    const seen = new Set(calls.map(({ worker, iteration }) => `${worker}:${iteration}`));
    expect(seen.size).toBe(20);
    expect(result.metrics.ops_per_sec.value).toBeGreaterThan(0);
    expect(result.metrics.p95_ms?.value).toBeGreaterThanOrEqual(1);
  });

  it('counts failures and keeps going', async () => {
    const result = await runLoad({
      concurrency: 3,
      iterations: 10,
      operation: async ({ worker, iteration }) => {
        if ((worker * 10 + iteration) % 3 === 0) throw Object.assign(new Error('dropped'), { code: 'ECONNRESET' });
      },
    });
    expect(result.metrics.total.value).toBe(30);
    expect(result.metrics.failed.value).toBe(10);
    expect(result.metrics.error_rate.value).toBeCloseTo(1 / 3, 12);
    expect(result.errors).toEqual({ ECONNRESET: 10 });
  });

  it('really runs the workers at once, and samples the peak with onTick', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const result = await runLoad({
      concurrency: 5,
      iterations: 4,
      operation: async () => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(5);
        inFlight -= 1;
      },
      onTick: { everyMs: 1, read: () => ({ inFlight }) },
    });
    expect(maxInFlight).toBe(5);
    expect(result.peaks.inFlight).toBe(5);
  });

  it('stops at the deadline, even when the operation never yields to the event loop', async () => {
    const slow = await runLoad({ concurrency: 2, deadlineMs: 40, operation: () => sleep(5) });
    expect(slow.stoppedBy).toBe('deadline');
    expect(slow.metrics.total.value).toBeGreaterThan(2);
    // The deadline's timer runs on the event loop's millisecond clock, which may fire up to 1 ms
    // before the high-resolution clock reaches the deadline (CI saw 39.98 ms).
    expect(slow.wallMs).toBeGreaterThanOrEqual(39);
    const busy = await runLoad({ concurrency: 2, deadlineMs: 20, operation: async () => undefined });
    expect(busy.stoppedBy).toBe('deadline');
    expect(busy.metrics.total.value).toBeGreaterThan(2);
  });

  it('stops when the signal aborts and passes the signal to operations', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    let sawAbort = false;
    const result = await runLoad({
      concurrency: 2,
      signal: controller.signal,
      operation: async ({ signal }) => {
        await sleep(2);
        sawAbort ||= signal.aborted;
      },
    });
    expect(result.stoppedBy).toBe('aborted');
    expect(sawAbort).toBe(true);
  });

  it('records into a recorder it is given', async () => {
    const recorder = new LatencyRecorder({ capacity: 3, seed: 1 });
    const result = await runLoad({ concurrency: 1, iterations: 10, recorder, operation: async () => 1 });
    expect(result.recorder).toBe(recorder);
    expect(result.samples.values).toHaveLength(3);
    expect(recorder.total).toBe(10);
  });

  it('refuses settings that cannot end or make no sense', async () => {
    const operation = async () => undefined;
    await expect(runLoad({ concurrency: 0, iterations: 1, operation })).rejects.toThrow(/'concurrency'.*got 0/);
    await expect(runLoad({ concurrency: 1, iterations: -1, operation })).rejects.toThrow(/'iterations'/);
    await expect(runLoad({ concurrency: 1, operation })).rejects.toThrow(/know when to stop/);
  });
});
