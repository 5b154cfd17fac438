/**
 * What the pooling and retry scenarios share: load with the pool sampled alongside, a realistic
 * repository read, waiting for a pool to settle, and the "no connection leaked" checks they end on.
 */
import type { PoolStats } from '../../db/pool-stats.js';
import type { Check, Metric } from '../../results/types.js';
import { hrClock, type LatencyRecorder } from '../harness/latency-recorder.js';
import { runLoad, type LoadContext, type LoadResult } from '../harness/load-runner.js';
import { startPeakSampler, type PeakSampler, type Readings } from '../harness/peak-sampler.js';
import { readResourceMetrics } from '../resource-metrics.js';
import { check, type ScenarioContext } from '../scenario.js';
import type { DataLayerUnderTest } from '../subject.js';

export type PoolReading = 'poolInUse' | 'poolWaiting' | 'poolSize';
export type PoolPeaks = Partial<Readings<PoolReading>>;

/** How often the pool is read while load runs, ms. */
const POOL_SAMPLE_MS = 2;

/** The pool readings whose peaks the scenarios check (in use, waiting, open connections). */
export function readPool(db: DataLayerUnderTest): () => Readings<PoolReading> {
  return () => {
    const stats = db.poolStats();
    return { poolInUse: stats.inUse, poolWaiting: stats.waiting, poolSize: stats.size };
  };
}

/** What one pooled load runs: workers x calls of an operation, optionally into a shared recorder. */
export interface PoolLoadOptions {
  concurrency: number;
  iterations: number;
  operation: (context: LoadContext) => Promise<unknown>;
  recorder?: LatencyRecorder;
  /** Stops starting new calls when aborted (pass `ctx.signal`: the watchdog gave up on the scenario). */
  signal?: AbortSignal;
}

/** Runs `concurrency` workers x `iterations` calls of `operation`, sampling `db`'s pool. */
export function runPoolLoad(
  db: DataLayerUnderTest,
  options: PoolLoadOptions,
  read: () => Readings<PoolReading> = readPool(db),
): Promise<LoadResult<PoolReading>> {
  return runLoad({ ...options, onTick: { everyMs: POOL_SAMPLE_MS, read } });
}

/**
 * Opens the pool's connections before a measurement (one query per connection the pool may
 * hold, all at once), so the first scenario does not time connection set-up as request latency.
 */
export async function warmPool(db: DataLayerUnderTest): Promise<void> {
  const { max } = db.poolStats();
  await Promise.all(Array.from({ length: max }, () => db.withSession((s) => s.em.execute('select 1'))));
}

/** Samples `db`'s pool every 2 ms until stopped, for scenarios that do not run through runPoolLoad. */
export function watchPool(db: DataLayerUnderTest): PeakSampler<PoolReading> {
  return startPeakSampler(readPool(db), POOL_SAMPLE_MS);
}

/** The larger of each peak. */
export function maxPeaks(...all: PoolPeaks[]): PoolPeaks {
  const keys: PoolReading[] = ['poolInUse', 'poolWaiting', 'poolSize'];
  return Object.fromEntries(keys.map((key) => [key, Math.max(0, ...all.map((peaks) => peaks[key] ?? 0))]));
}

/** Every call of the load was made and none failed. */
export function allSucceeded(load: LoadResult<PoolReading>, expected: number): Check {
  const { total, failed } = load.metrics;
  return check('all_operations_succeeded', total.value === expected && failed.value === 0, `${total.value - failed.value} of ${expected}`, `${expected} of ${expected}`);
}

/** A repository read of a random seeded live user through `db.read`; a wrong row is an error. */
export function readRandomUser(ctx: ScenarioContext, db: DataLayerUnderTest = ctx.db): () => Promise<void> {
  return async () => {
    const wanted = ctx.random.pick(ctx.seed.live);
    const user = await db.read((s) => s.users.getById(wanted.id));
    if (user.id !== wanted.id) throw new Error(`getById('${wanted.id}') returned user '${user.id}'`);
  };
}

/** Waits (at most `withinMs`) for no connection in use or waiting; the session category's helper. */
export { waitForPoolIdle as settlePool } from '../resource-metrics.js';

/** How one timed call ended: its error (undefined on success) and how long it took, ms. */
export interface TimedOutcome {
  error: unknown;
  ms: number;
}

/** Runs `work`, timing it; never rejects. */
export async function timeOutcome(work: () => Promise<unknown>): Promise<TimedOutcome> {
  const started = hrClock();
  const error = await work().then(
    () => undefined,
    (thrown: unknown) => thrown ?? new Error('rejected without a reason'),
  );
  return { error, ms: hrClock() - started };
}

/** Never more connections in use or open than the pool's max, and none in use at the end. */
export function poolChecks(end: PoolStats, peaks: PoolPeaks): Check[] {
  const peakInUse = Math.max(peaks.poolInUse ?? 0, end.inUse);
  const peakSize = Math.max(peaks.poolSize ?? 0, end.size);
  return [
    check('pool_peak_in_use_within_max', peakInUse <= end.max, peakInUse, `<= ${end.max} (pool max)`),
    check('pool_size_within_max', peakSize <= end.max, peakSize, `<= ${end.max} (pool max)`),
    check('pool_back_to_zero_in_use', end.inUse === 0, end.inUse, '0'),
  ];
}

/** The load's throughput and latency metrics (if any) and the resource metrics of `db`. */
export function scenarioMetrics(db: DataLayerUnderTest, peaks: PoolPeaks, load?: LoadResult<PoolReading>): Record<string, Metric> {
  const { poolInUse, poolWaiting } = peaks;
  return {
    ...load?.metrics,
    ...readResourceMetrics(db, {
      ...(poolInUse === undefined ? {} : { poolInUse }),
      ...(poolWaiting === undefined ? {} : { poolWaiting }),
    }),
  };
}
