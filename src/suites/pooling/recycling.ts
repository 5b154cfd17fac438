import { toMetric } from '../harness/latency-metrics.js';
import { LatencyRecorder } from '../harness/latency-recorder.js';
import { check, type ScenarioContext, type ScenarioDefinition } from '../scenario.js';
import { maxPeaks, poolChecks, runPoolLoad, scenarioMetrics, settlePool } from './pool-load.js';

const SEQUENTIAL = 100;
const WORKERS = 20;
const ITERATIONS = 10;
/** "Far fewer connections than operations": each connection served at least this many on average. */
const MIN_OPERATIONS_PER_CONNECTION = 5;

/** One operation on the scenario's data layer (ctx.db), resolving to the backend pid that served it. */
export type PidOfCall = (ctx: ScenarioContext) => () => Promise<number>;

/**
 * A recycling scenario named `id` (pooling.recycling; a perf file's pooling.<id>.recycling with
 * the user's operation before the question): 100 sequential operations, then 20 concurrent
 * workers x 10, on ctx.db, each asking the server which backend serves it (pg_backend_pid()
 * through `s.em.execute`). Counts stay >= 50 and >= 5 x 20 at any scale so the reuse ratio
 * means something.
 * Criteria: every operation succeeds, distinct backend pids <= the pool's max and at least 5
 * operations per connection (connections are reused, not opened per request), the pool never
 * over its max, back to 0 in use.
 */
export function recyclingScenario(id: string, pidOfCall: PidOfCall): ScenarioDefinition {
  return {
    id,
    category: 'pooling',
    params: { sequential: SEQUENTIAL, workers: WORKERS, iterations: ITERATIONS },
    async run(ctx) {
      const sequential = ctx.scaled(SEQUENTIAL, 50);
      const iterations = ctx.scaled(ITERATIONS, 5);
      const operations = sequential + WORKERS * iterations;
      const pids = new Set<number>();
      const recorder = new LatencyRecorder();
      const call = pidOfCall(ctx);
      const operation = async () => pids.add(await call());
      ctx.db.sessions.resetPeak();
      ctx.step(`${sequential} sequential operations asking pg_backend_pid()`);
      const first = await runPoolLoad(ctx.db, { concurrency: 1, iterations: sequential, operation, recorder, signal: ctx.signal });
      ctx.step(`${WORKERS} workers x ${iterations} operations asking pg_backend_pid()`);
      const second = await runPoolLoad(ctx.db, { concurrency: WORKERS, iterations, operation, recorder, signal: ctx.signal });
      const end = await settlePool(ctx.db);
      const peaks = maxPeaks(first.peaks, second.peaks);
      const metrics = recorder.metrics();
      const perConnection = operations / Math.max(1, pids.size);
      return {
        checks: [
          check('all_operations_succeeded', metrics.successful.value === operations, metrics.successful.value, `${operations}`),
          check('unique_connections_within_max', pids.size <= end.max, pids.size, `<= ${end.max} (pool max)`),
          check('connections_reused', perConnection >= MIN_OPERATIONS_PER_CONNECTION, perConnection, `>= ${MIN_OPERATIONS_PER_CONNECTION} operations per connection`),
          ...poolChecks(end, peaks),
        ],
        metrics: {
          ...metrics,
          ...scenarioMetrics(ctx.db, peaks),
          unique_connections: toMetric('unique_connections', pids.size),
        },
        samples: recorder.samples(),
        params: { sequential, workers: WORKERS, iterations, operations },
      };
    },
  };
}

/** pooling.recycling on the gate's data layer (see recyclingScenario). */
