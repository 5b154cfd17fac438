import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDataLayer, type TestDataLayer } from '../support/data-layer.js';
import type { DataLayer } from '../../src/db/data-layer.js';
import { PoolTimeoutError } from '../../src/db/errors.js';

let t: TestDataLayer;
beforeAll(async () => {
  t = await openTestDataLayer();
});
afterAll(() => t.cleanup());

/** Samples pool statistics every few ms while `work` runs; returns the largest readings. */
async function samplePeaks(db: DataLayer, work: Promise<unknown>) {
  const peaks = { inUse: 0, waiting: 0, size: 0 };
  const timer = setInterval(() => {
    const stats = db.poolStats();
    peaks.inUse = Math.max(peaks.inUse, stats.inUse);
    peaks.waiting = Math.max(peaks.waiting, stats.waiting);
    peaks.size = Math.max(peaks.size, stats.size);
  }, 2);
  try {
    await work;
  } finally {
    clearInterval(timer);
  }
  return peaks;
}

describe('pool', () => {
  it('runs 50 concurrent queries on a pool of 10 without exceeding max, then returns to zero in use', async () => {
    const db = await t.openAnother({ pool: { size: 10, maxOverflow: 0 } });
    const work = Promise.all(
      Array.from({ length: 50 }, (_, i) => db.read((s) => s.em.execute(`select pg_sleep(0.02), ${i} as i`))),
    );
    const peaks = await samplePeaks(db, work);
    const results = await work;
    expect(results.map((rows) => rows[0]!.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(peaks.inUse).toBeLessThanOrEqual(10);
    expect(peaks.inUse).toBeGreaterThanOrEqual(5);
    expect(peaks.waiting).toBeGreaterThan(0);
    const after = db.poolStats();
    expect(after).toMatchObject({ inUse: 0, waiting: 0, max: 10 });
    expect(new Set(after.pids).size).toBe(after.size);
    expect(after.size).toBeLessThanOrEqual(10);
  });

  it('opens overflow connections under load and closes them when idle', async () => {
    const db = await t.openAnother({ pool: { size: 2, maxOverflow: 3, idleTimeoutSeconds: 0.2 } });
    const work = Promise.all(Array.from({ length: 20 }, () => db.read((s) => s.em.execute('select pg_sleep(0.03)'))));
    const peaks = await samplePeaks(db, work);
    expect(peaks.size).toBe(5);
    expect(peaks.inUse).toBe(5);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(db.poolStats().size).toBe(2);
  });

  it('reports the backend pid of every pooled connection', async () => {
    const db = await t.openAnother({ pool: { size: 3, maxOverflow: 0 } });
    const seen = new Set<number>();
    await Promise.all(
      Array.from({ length: 6 }, () =>
        db.read(async (s) => {
          const rows: Array<{ pid: number }> = await s.em.execute('select pg_backend_pid() as pid, pg_sleep(0.02)');
          seen.add(rows[0]!.pid);
        }),
      ),
    );
    expect([...seen].sort()).toEqual([...db.poolStats().pids].sort());
  });

  it('fails an acquire on an exhausted pool within DATABASE_POOL_TIMEOUT, neither retried nor counted by the breaker', async () => {
    const timeoutMs = 1000;
    // Default retries (3); a breaker that would open on the first failure it counts.
    const db = await t.openAnother({
      pool: { size: 1, maxOverflow: 0, timeoutSeconds: timeoutMs / 1000 },
      breaker: { failureThreshold: 1 },
    });
    await db.read((s) => s.em.execute('select 1'));
    const attemptsBefore = db.resilience.snapshot().attempts;
    // Holds the only connection well past the whole window the test measures.
    const hog = db.withSession((s) => s.em.execute('select pg_sleep(4)'));
    const until = performance.now() + 2000;
    while (db.poolStats().inUse < 1 && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    const error = await db.read((s) => s.em.execute('select 1')).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(PoolTimeoutError);
    expect((error as Error).message).toMatch(/DATABASE_POOL_TIMEOUT \(1 s\).*all 1 connections/);
    expect(elapsed).toBeGreaterThan(0.8 * timeoutMs);
    expect(elapsed).toBeLessThan(timeoutMs + 1500);
    expect(db.resilience.snapshot()).toMatchObject({ attempts: attemptsBefore + 1, retries: 0, breakerState: 'closed' });
    await hog;
    expect(db.poolStats().inUse).toBe(0);
    expect((await db.read((s) => s.em.execute('select 2 as two')))[0]!.two).toBe(2);
  });
});
