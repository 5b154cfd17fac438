import { describe, expect, it } from 'vitest';
import { LatencyRecorder } from '../../../src/suites/harness/latency-recorder.js';

/** A clock the test moves by hand. */
function createManualClock() {
  const clock = { t: 0, now: () => clock.t };
  return clock;
}

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('LatencyRecorder', () => {
  it('times successes with the clock and returns their values', async () => {
    const clock = createManualClock();
    const recorder = new LatencyRecorder({ now: clock.now });
    const outcome = await recorder.measure(async () => {
      clock.t += 5;
      return 'row';
    });
    expect(outcome).toEqual({ kind: 'ok', value: 'row', ms: 5 });
    expect(recorder.successful).toBe(1);
  });

  it('counts failures per code or name without throwing', async () => {
    const clock = createManualClock();
    const recorder = new LatencyRecorder({ now: clock.now });
    const fail = (error: unknown) => () => {
      clock.t += 1;
      throw error;
    };
    await recorder.measure(fail(withCode('reset', 'ECONNRESET')));
    await recorder.measure(fail(withCode('again', 'ECONNRESET')));
    await recorder.measure(fail(withCode('terminating connection', '57P01')));
    const timeout = new Error('too slow');
    timeout.name = 'TimeoutError';
    const outcome = await recorder.measure(fail(timeout));
    await recorder.measure(fail('a string'));
    expect(outcome).toMatchObject({ kind: 'error', error: timeout, ms: 1 });
    expect(recorder.errorCounts()).toEqual({ ECONNRESET: 2, '57P01': 1, TimeoutError: 1, Error: 1 });
    expect(recorder.errorExamples().ECONNRESET).toEqual({ name: 'Error ECONNRESET', message: 'reset' });
    expect(recorder.failed).toBe(5);
    expect(recorder.latency()).toBeUndefined();
  });

  it('reports throughput and latency metrics on exact numbers', async () => {
    const clock = createManualClock();
    const recorder = new LatencyRecorder({ now: clock.now });
    for (const ms of [10, 20, 30]) {
      await recorder.measure(async () => {
        clock.t += ms;
      });
    }
    await recorder.measure(async () => {
      clock.t += 40;
      throw new Error('boom');
    });
    const metrics = recorder.metrics();
    expect(recorder.elapsedMs()).toBe(100);
    expect(metrics.total).toEqual({ value: 4, unit: 'count', direction: 'higher' });
    expect(metrics.successful.value).toBe(3);
    expect(metrics.failed).toEqual({ value: 1, unit: 'count', direction: 'lower' });
    expect(metrics.error_rate).toEqual({ value: 0.25, unit: 'ratio', direction: 'lower' });
    expect(metrics.ops_per_sec).toEqual({ value: 30, unit: 'ops/s', direction: 'higher' });
    expect(metrics.avg_ms?.value).toBe(20);
    expect(metrics.max_ms?.value).toBe(30);
    expect(recorder.metrics(1_000).ops_per_sec.value).toBe(3);
    expect(recorder.samples()).toEqual({ unit: 'ms', observed: 3, values: [10, 20, 30] });
  });

  it('accepts results timed elsewhere and reports zero rates when empty', () => {
    const recorder = new LatencyRecorder();
    expect(recorder.metrics().error_rate.value).toBe(0);
    expect(recorder.metrics().ops_per_sec.value).toBe(0);
    recorder.recordSuccess(2);
    recorder.recordFailure(new AggregateError([withCode('refused', 'ECONNREFUSED')], 'all failed'));
    expect(recorder.total).toBe(2);
    expect(recorder.errorCounts()).toEqual({ ECONNREFUSED: 1 });
  });

  it('times with the real high-resolution clock by default', async () => {
    const recorder = new LatencyRecorder();
    const outcome = await recorder.measure(() => new Promise((resolve) => setTimeout(resolve, 15)));
    expect(outcome.ms).toBeGreaterThanOrEqual(14);
    expect(outcome.ms).toBeLessThan(1_000);
  });
});
