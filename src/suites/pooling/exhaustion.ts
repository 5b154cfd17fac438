import { PoolTimeoutError } from '../../db/errors.js';
import { check, timingCheck, type ScenarioContext, type ScenarioDefinition } from '../scenario.js';
import type { DataLayerUnderTest } from '../subject.js';
import { poolChecks, runPoolLoad, scenarioMetrics, settlePool, timeOutcome, warmPool, watchPool } from './pool-load.js';

/** A tiny pool: 2 connections + 1 overflow, so a handful of requests exhaust it. */
const POOL = { size: 2, maxOverflow: 1 };
const POOL_MAX = POOL.size + POOL.maxOverflow;
/** Requests in the queueing phase: three times what the pool can serve at once. */
const QUEUED = 3 * POOL_MAX;
/** Requests in the timeout phase: the pool's max plus this many that cannot get a connection. */
const EXCESS = 3;
const HOLD_SECONDS = { queued: 0.1, timeout: 0.6 };
/** Acquire timeouts: generous when queueing must succeed, short when the excess must fail. */
const ACQUIRE_SECONDS = { generous: 10, short: 0.2 };
/** How long past the acquire timeout a failing request may take to return (it must not hang). */
const RETURN_GRACE_MS = 300;

/** Holds a pooled connection for `seconds` with a server-side sleep. */
function holdConnection(db: DataLayerUnderTest, seconds: number): Promise<unknown> {
  return db.withSession((s) => s.em.execute('select pg_sleep(?)', [seconds]));
}

/** A tiny pool of its own with the given acquire timeout and no retries (failures stay visible). */
function openTinyPool(ctx: ScenarioContext, timeoutSeconds: number): Promise<DataLayerUnderTest> {
  return ctx.openDataLayer({ pool: { ...POOL, timeoutSeconds }, retry: { maxRetries: 0 } });
}

/** With a short acquire timeout, requests beyond the pool's max fail fast with PoolTimeoutError. */
async function overflowWithShortTimeout(ctx: ScenarioContext) {
  const db = await openTinyPool(ctx, ACQUIRE_SECONDS.short);
  await warmPool(db);
  const sampler = watchPool(db);
  const outcomes = await Promise.all(
    Array.from({ length: POOL_MAX + EXCESS }, () => timeOutcome(() => holdConnection(db, HOLD_SECONDS.timeout))),
  );
  const failures = outcomes.filter((o) => o.error !== undefined);
  const acquireTimeouts = failures.filter((o) => o.error instanceof PoolTimeoutError);
  const end = await settlePool(db);
  return { failures, acquireTimeouts, slowestFailureMs: Math.max(0, ...failures.map((o) => o.ms)), end, peaks: sampler.stop() };
}

/**
 * An exhaustion scenario named `id` (pooling.exhaustion; a perf file's pooling.<id>.exhaustion on
 * the user's pool): a data layer of its own with a pool of 2 + 1 overflow. First 9 requests
 * each hold a connection 0.1 s with a generous acquire timeout: they must queue and all complete.
 * Then, with a 0.2 s acquire timeout, 6 requests hold one 0.6 s: the 3 beyond the max must fail
 * with PoolTimeoutError (an exhausted pool: not retried, not counted by the breaker), promptly,
 * rather than hang.
 * Criteria: waiting observed, all queued requests complete, exactly the excess fails with an
 * acquire timeout within the timeout + 300 ms, and after each phase no connection in use and
 * never more open than the max.
 */
export function exhaustionScenario(id: string): ScenarioDefinition {
  return {
    id,
    category: 'pooling',
    params: { poolSize: POOL.size, maxOverflow: POOL.maxOverflow, queued: QUEUED, excess: EXCESS },
    async run(ctx) {
      const db = await openTinyPool(ctx, ACQUIRE_SECONDS.generous);
      ctx.step(`queueing: ${QUEUED} requests holding a connection ${HOLD_SECONDS.queued} s on a pool of ${POOL_MAX}`);
      const load = await runPoolLoad(db, { concurrency: QUEUED, iterations: 1, operation: () => holdConnection(db, HOLD_SECONDS.queued) });
      const queuedEnd = await settlePool(db);
      const waiting = load.peaks.poolWaiting ?? 0;
      ctx.step(`acquire timeouts: ${POOL_MAX + EXCESS} requests with a ${ACQUIRE_SECONDS.short} s acquire timeout`);
      const short = await overflowWithShortTimeout(ctx);
      const limitMs = ACQUIRE_SECONDS.short * 1000 + RETURN_GRACE_MS;
      return {
        checks: [
          check('queueing_observed', waiting > 0, waiting, `> 0 waiting (${QUEUED} requests, pool max ${POOL_MAX})`),
          check('all_queued_completed', load.metrics.successful.value === QUEUED, load.metrics.successful.value, `${QUEUED}`),
          ...poolChecks(queuedEnd, load.peaks),
          check('excess_failed', short.failures.length === EXCESS, short.failures.length, `${EXCESS} of ${POOL_MAX + EXCESS}`),
          check('excess_failed_with_acquire_timeout', short.acquireTimeouts.length === EXCESS, short.acquireTimeouts.length, `${EXCESS} PoolTimeoutError`),
          timingCheck('excess_failed_without_hanging', short.slowestFailureMs <= limitMs, short.slowestFailureMs, `<= ${limitMs} ms`),
          ...poolChecks(short.end, short.peaks).map((c) => ({ ...c, name: `${c.name}_after_timeouts` })),
        ],
        metrics: scenarioMetrics(db, load.peaks, load),
        samples: load.samples,
      };
    },
  };
}

/** pooling.exhaustion on the gate's data layer (see exhaustionScenario). */
