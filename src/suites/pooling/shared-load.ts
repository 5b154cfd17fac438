/**
 * The pooling load scenarios (normal and high load): the same workload on a pool of its own,
 * at two sizes with two error-rate criteria.
 */
import { check, type ScenarioContext, type ScenarioDefinition } from '../scenario.js';
import type { DataLayerUnderTest } from '../subject.js';
import { poolChecks, runPoolLoad, scenarioMetrics, settlePool, warmPool } from './pool-load.js';
import { connectionsReleasedCheck, listServerPids, waitForServerConnections } from './server-connections.js';

/** Unmeasured rounds of the operation at full concurrency before the measured load. */
const WARMUP_ROUNDS = 2;

/**
 * Load on a pool of its own (the configured settings) with `call` (for the gate's own scenarios a
 * realistic repository read: a random seeded user by id), then the pool once it settled. Before
 * it, the pool is opened to its max and the same call runs WARMUP_ROUNDS rounds at the same
 * concurrency, unmeasured, as benchmark.js warms up before it times: without it, the first ~25 of
 * 200 requests (code paths not yet compiled, each connection's first use) took 100-290 ms against
 * a steady 12-20 ms here, which alone put p95 on either side of the 200 ms target from run to run.
 *
 * The pool is the scenario's own so that the server's count of the run's connections can be read
 * before it opens and after it closes, without waiting DATABASE_POOL_IDLE_TIMEOUT for idle
 * overflow connections to be reaped (10 s per scenario, and per round in a duet run): after the
 * close, every connection it opened must be gone from pg_stat_activity (connectionsReleasedCheck).
 * A connection the pool lost track of is still counted by the server and fails the check.
 */
async function loadOwnPool(ctx: ScenarioContext, concurrency: number, iterations: number, call: LoadCall) {
  ctx.step("counting the server's connections before the load");
  const serverBefore = (await listServerPids(ctx.db)).length;
  ctx.step('opening a pool of its own to its max');
  const db = await ctx.openDataLayer();
  await warmPool(db);
  const operation = call(ctx, db);
  ctx.step(`warming up: ${WARMUP_ROUNDS} rounds of ${concurrency} calls`);
  await runPoolLoad(db, { concurrency, iterations: WARMUP_ROUNDS, operation, signal: ctx.signal });
  db.sessions.resetPeak();
  ctx.step(`measured load: ${concurrency} workers x ${iterations} calls`);
  const load = await runPoolLoad(db, { concurrency, iterations, operation, signal: ctx.signal });
  ctx.step('waiting for the pool to settle');
  const end = await settlePool(db);
  const metrics = scenarioMetrics(db, load.peaks, load);
  ctx.step("closing the pool and counting the server's connections");
  await db.close();
  const serverAfter = await waitForServerConnections(ctx.db, serverBefore);
  return { load, end, metrics, released: connectionsReleasedCheck(serverBefore, serverAfter) };
}

/** The call a load makes, on the scenario's own pool `db`. */
export type LoadCall = (ctx: ScenarioContext, db: DataLayerUnderTest) => () => Promise<unknown>;

/** A load scenario on the gate's data layer: its size and its error-rate criterion. */
export interface SharedLoadSpec {
  id: string;
  /** Workers at once; never scaled, since loading the pool is the point. */
  concurrency: number;
  /** Calls per worker at scale 1. */
  iterations: number;
  /** The scenario's criterion: error rate below this (docs/scenarios.md). */
  maxErrorRate: number;
  /**
   * Whether requests must have queued for a connection: always (the gate's pool is far smaller than
   * the workers), never, or `'over-pool-max'`: when the workers outnumber the pool's max (a user's
   * pool may be large enough for all of them).
   */
  expectQueueing: boolean | 'over-pool-max';
  /** The call each worker makes. */
  call: LoadCall;
}

function expectsQueueing(expect: SharedLoadSpec['expectQueueing'], concurrency: number, poolMax: number): boolean {
  return expect === 'over-pool-max' ? concurrency > poolMax : expect;
}

/**
 * Builds a pooling load scenario: `concurrency` workers x `iterations` (scaled, at least 1)
 * calls (getById reads through `db.read` unless `call` says otherwise) on a warmed pool of its
 * own, sampled every 2 ms.
 * Checks: every request made, error rate < the criterion, queueing when expected, the pool
 * never over its max and back to 0 in use, and the server's count of the data layer's connections
 * back to where it started (connections_released). Latency targets are left to thresholds.json.
 */
export function sharedLoadScenario(spec: SharedLoadSpec): ScenarioDefinition {
  const { id, concurrency, maxErrorRate } = spec;
  return {
    id,
    category: 'pooling',
    params: { concurrency, iterations: spec.iterations },
    async run(ctx) {
      const iterations = ctx.scaled(spec.iterations, 1);
      const requests = concurrency * iterations;
      const { load, end, metrics, released } = await loadOwnPool(ctx, concurrency, iterations, spec.call);
      const { total, error_rate: errorRate } = load.metrics;
      const waiting = load.peaks.poolWaiting ?? 0;
      const queueing = check('queueing_observed', waiting > 0, waiting, `> 0 waiting (${concurrency} workers > pool max ${end.max})`);
      return {
        checks: [
          check('all_requests_made', total.value === requests, total.value, `${requests}`),
          check(`error_rate_below_${maxErrorRate * 100}_percent`, errorRate.value < maxErrorRate, errorRate.value, `< ${maxErrorRate}`),
          ...(expectsQueueing(spec.expectQueueing, concurrency, end.max) ? [queueing] : []),
          ...poolChecks(end, load.peaks),
          released,
        ],
        metrics,
        samples: load.samples,
        params: { concurrency, iterations, requests },
      };
    },
  };
}
