import { toMetric } from '../harness/latency-metrics.js';
import { runLoad } from '../harness/load-runner.js';
import { readResourceMetrics } from '../resource-metrics.js';
import { check, type ScenarioContext, type ScenarioDefinition } from '../scenario.js';
import { ensureMarkerTable, JS_ERROR, SYNTAX_ERROR, takeMarkers, UNIQUE_VIOLATION, type FailureCase, type Prelude } from './failure-cases.js';
import { closeSessionWindow, openSessionWindow } from './session-checks.js';

const CONCURRENCY = 20;
const ITERATIONS = 10;
/** Share of operations made to fail, each in one of the ways below. */
const FAILURE_SHARE = 0.3;

/** Failures that do not break the connection: it must go back to the pool and be reused. */
const FAILURES: readonly FailureCase[] = [UNIQUE_VIOLATION, JS_ERROR, SYNTAX_ERROR];

/** The calls of a pool-leak scenario: one call of the operation, and the operation as a failing unit's prelude. */
export interface PoolLeakCalls {
  call: (ctx: ScenarioContext) => () => Promise<unknown>;
  prelude: (ctx: ScenarioContext) => Prelude;
}

/**
 * A call that fails as planned ~30% of the time (seeded), after the operation ran in its
 * transaction, and counts the failures it planned; the other calls are the plain operation.
 */
function plannedOperation(ctx: ScenarioContext, calls: PoolLeakCalls, tag: string) {
  const planned = { failures: 0, unexpected: 0 };
  const ok = calls.call(ctx);
  const prelude = calls.prelude(ctx);
  const operation = async (): Promise<unknown> => {
    if (!ctx.random.chance(FAILURE_SHARE)) return ok();
    const failure = ctx.random.pick(FAILURES);
    planned.failures++;
    return failure.run(ctx, prelude, `pl_${tag}_${planned.failures}`).then(
      () => void planned.unexpected++,
      (error: unknown) => {
        if (!failure.raised(error)) planned.unexpected++;
        throw error;
      },
    );
  };
  return { planned, operation };
}

/** Samples the pool while the load runs, keeping every backend pid it sees. */
function poolWatcher(ctx: ScenarioContext) {
  const pids = new Set<number>();
  const read = () => {
    const stats = ctx.db.poolStats();
    stats.pids.forEach((pid) => pids.add(pid));
    return { poolInUse: stats.inUse, poolWaiting: stats.waiting, poolSize: stats.size };
  };
  return { pids, read };
}

/**
 * sessions.pool_leak (a perf file's sessions.<id>.pool_leak): 20 concurrent workers x 10 calls
 * (iterations scaled), 30% of them failing on purpose after the operation, in its transaction
 * (unique violation, JS error, SQL syntax error), with the pool's checked-out connections sampled
 * every 5 ms.
 * Criteria: exactly the planned operations fail, as planned; afterwards 0 connections in use and
 * nothing waiting; pool size never above its max; at most max distinct backend pids seen (failed
 * operations return their connection instead of churning new ones); no session open, opened ==
 * closed, none leaked.
 */
export function poolLeakScenario(id: string, calls: PoolLeakCalls): ScenarioDefinition {
  return {
  id,
  category: 'sessions',
  params: { concurrency: CONCURRENCY, iterations: ITERATIONS, failure_share: FAILURE_SHARE },
  async run(ctx) {
    const iterations = ctx.scaled(ITERATIONS, 3);
    const tag = ctx.random.int(0, 2 ** 31).toString(36);
    await ensureMarkerTable(ctx.db);
    const before = openSessionWindow(ctx.db);
    const { planned, operation } = plannedOperation(ctx, calls, tag);
    const watcher = poolWatcher(ctx);
    const load = await runLoad({ concurrency: CONCURRENCY, iterations, operation, onTick: { everyMs: 5, read: watcher.read } });
    const window = await closeSessionWindow(ctx.db, before);
    await takeMarkers(ctx.db, `pl_${tag}_`);
    window.pool.pids.forEach((pid) => watcher.pids.add(pid));
    const { max } = window.pool;
    const failed = load.metrics.failed.value;
    const peakSize = load.peaks.poolSize ?? 0;
    return {
      checks: [
        check(
          'only_planned_failures',
          failed === planned.failures && planned.unexpected === 0,
          `${failed} failed, ${planned.failures} planned, ${planned.unexpected} unexpected`,
          'failed == planned, 0 unexpected',
        ),
        check('nothing_waiting', window.pool.waiting === 0, window.pool.waiting, '0'),
        check('pool_size_within_max', peakSize <= max && window.pool.size <= max, peakSize, `<= ${max}`),
        check('no_connection_churn', watcher.pids.size <= max, watcher.pids.size, `<= ${max} distinct backend pids`),
        ...window.checks,
      ],
      metrics: {
        ...load.metrics,
        ...readResourceMetrics(ctx.db, load.peaks),
        ...window.metrics,
        unique_connections: toMetric('unique_connections', watcher.pids.size),
      },
      samples: load.samples,
      params: { iterations, planned_failures: planned.failures },
    };
  },
};
}
