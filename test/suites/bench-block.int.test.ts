/**
 * A benchmark as one timed block (a duet round): warm-up calls before it while calls are cheap,
 * back-to-back calls until the budget is spent (at least one, however slow), ops/sec as calls over
 * the elapsed time. On a real data layer; the operation is a real read.
 */
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark } from '../../src/suites/bench/bench-runner.js';
import { openTestDataLayer, type TestDataLayer } from '../support/data-layer.js';

let layer: TestDataLayer;

beforeAll(async () => {
  layer = await openTestDataLayer();
});

afterAll(async () => {
  await layer.cleanup();
});

describe('runBenchmark as a timed block', () => {
  it('times back-to-back calls for its budget after a warm-up, and reports calls over elapsed time', async () => {
    let calls = 0;
    const operation = async () => {
      calls += 1;
      await layer.db.read((s) => s.em.execute('select 1'));
    };
    const measured = await runBenchmark('block-test', layer.db, { maxSeconds: 0.05, block: true }, operation);
    const timed = measured.recorder.total;
    expect(measured.cycles).toBe(1);
    expect(timed).toBeGreaterThan(1);
    // The warm-up made calls the recorder did not time.
    expect(calls).toBeGreaterThan(timed);
    expect(measured.recorder.failed).toBe(0);
    // ops/sec is the timed calls over the block's wall time, which is the recorder's window here.
    expect(measured.opsPerSec * (measured.recorder.elapsedMs() / 1000)).toBeGreaterThan(timed * 0.5);
    expect(measured.opsPerSec * (measured.recorder.elapsedMs() / 1000)).toBeLessThanOrEqual(timed * 1.0001);
    expect(measured.rmePercent).toBeGreaterThanOrEqual(0);
  });

  it("records the client's CPU time over the block: positive, and no more than its wall time on every core", async () => {
    const operation = () => layer.db.read((s) => s.em.execute('select 1'));
    const started = performance.now();
    const measured = await runBenchmark('cpu-test', layer.db, { maxSeconds: 0.05, block: true }, operation);
    const wallMs = performance.now() - started;
    expect(measured.cpuMs).toBeGreaterThan(0);
    // The block ran inside `wallMs` (its warm-up too); a CPU clock (the thread's, or the process's
    // where there is none) ticks at most once per core per unit of wall time, plus its granularity.
    expect(measured.cpuMs).toBeLessThanOrEqual(wallMs * availableParallelism() + 5);
  });

  it("leaves the reference calls between the calls out of the CPU time", async () => {
    const SPIN_MS = 25;
    const operation = () => layer.db.read((s) => s.em.execute('select 1'));
    // A reference whose calls spin 25 ms of CPU each: counted, they would make CPU per call above
    // 25 ms, more than ten times what a cold `select 1` call costs the client (about 2 ms was seen
    // in a 50 ms block on a loaded 2-core machine).
    const reference = {
      sample: async (count: number) => {
        const until = performance.now() + SPIN_MS;
        while (performance.now() < until) {
          // spinning on purpose
        }
        return Array.from({ length: count }, () => SPIN_MS);
      },
    };
    const measured = await runBenchmark('cpu-reference-test', layer.db, { maxSeconds: 0.05, block: true, reference }, operation);
    expect(measured.referenceMs.length).toBe(measured.recorder.total);
    expect(measured.cpuMs / measured.recorder.total).toBeLessThan(SPIN_MS);
  });

  it('makes one call however slow, and skips the warm-up once calls take longer than it', async () => {
    let calls = 0;
    const slow = async () => {
      calls += 1;
      await layer.db.read((s) => s.em.execute('select pg_sleep(0.03)'));
    };
    // First block: the warm-up makes one call (no call time known yet), then the block one.
    const first = await runBenchmark('slow-test', layer.db, { maxSeconds: 0.01, block: true }, slow);
    expect([first.recorder.total, calls]).toEqual([1, 2]);
    // The last block's calls took 30 ms, beyond the 2 ms a warm-up may take: no warm-up.
    const second = await runBenchmark('slow-test', layer.db, { maxSeconds: 0.01, block: true }, slow);
    expect([second.recorder.total, calls]).toEqual([1, 3]);
  });
});
