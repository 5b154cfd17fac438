import type { Operation, SessionsSpec } from '../../api/index.js';
import { toMetric } from '../../suites/harness/latency-metrics.js';
import { LatencyRecorder } from '../../suites/harness/latency-recorder.js';
import { trackPeakHeap } from '../../suites/harness/memory.js';
import { readResourceMetrics } from '../../suites/resource-metrics.js';
import { check, type ScenarioContext, type ScenarioDefinition } from '../../suites/scenario.js';
import { concurrentSessionsScenario } from '../../suites/sessions/concurrent.js';
import { InjectedError } from '../../suites/sessions/failure-cases.js';
import { batchParams, memoryBatchSize, runBatches } from '../../suites/sessions/memory-stability.js';
import { closeSessionWindow, openSessionWindow } from '../../suites/sessions/session-checks.js';
import { boundCall, callInTransaction, sharedOf } from './operation-call.js';

type Spec = SessionsSpec<unknown, unknown>;

/** The specification's memory target: growth over the 1000 calls, MB (here the V8 heap after a settled GC). */
const MAX_HEAP_GROWTH_MB = 50;
/** Heap readings while the batches run, ms apart, for the peak. */
const PEAK_HEAP_SAMPLE_MS = 5;
/** Failing calls at scale 1: as many as sessions.exception_cleanup's (4 ways x 4 repeats), at least 2. */
const FAILING_CALLS = 16;
const MIN_FAILING_CALLS = 2;
/** Callers at once in the concurrent scenario, one call each. */
const CONCURRENT_CALLS = 20;

/**
 * `sessions.<id>.memory_stability`: 1000 calls (scaled) in the 10 batches of 5 workers of
 * sessions.memory_stability, memory read after a settled GC before the first batch and after each,
 * the heap sampled every 5 ms for its peak. Criteria: every call succeeds; V8 heap growth over the
 * run < 50 MB; the cleanup checks (no session open, opened == closed, none leaked, pool 0 in use).
 * Recorded: heap_growth_mb, memory_growth_mb (RSS), peak_heap_mb.
 */
function memoryStability(spec: Spec): ScenarioDefinition {
  return {
    id: `sessions.${spec.id}.memory_stability`,
    category: 'sessions',
    params: {},
    async run(ctx) {
      const batchSize = memoryBatchSize(ctx);
      const before = openSessionWindow(ctx.db);
      const recorder = new LatencyRecorder();
      const peak = trackPeakHeap(PEAK_HEAP_SAMPLE_MS);
      ctx.step(`10 batches of ${batchSize} calls, memory read after a settled GC`);
      const { start, after, peaks, loadMs } = await runBatches(ctx, batchSize, recorder, boundCall(ctx.db, sharedOf(ctx), ctx.random, spec.operation));
      const peakHeapMb = peak.stop();
      const window = await closeSessionWindow(ctx.db, before);
      const end = after[after.length - 1] ?? start;
      const heapGrowthMb = end.heapMb - start.heapMb;
      return {
        checks: [
          check('all_operations_succeeded', recorder.failed === 0, recorder.failed, '0 failed'),
          check('heap_growth_below_50_mb', heapGrowthMb < MAX_HEAP_GROWTH_MB, heapGrowthMb, `< ${MAX_HEAP_GROWTH_MB} MB (V8 heap after a settled GC)`),
          ...window.checks,
        ],
        metrics: {
          ...recorder.metrics(loadMs),
          ...readResourceMetrics(ctx.db, peaks),
          ...window.metrics,
          heap_growth_mb: toMetric('heap_growth_mb', heapGrowthMb),
          memory_growth_mb: toMetric('memory_growth_mb', end.rssMb - start.rssMb),
          peak_heap_mb: toMetric('peak_heap_mb', peakHeapMb),
        },
        samples: recorder.samples(),
        params: { operations: batchSize * after.length, batches: after.length, batch_size: batchSize, ...batchParams(start, after) },
      };
    },
  };
}

/** What the failing calls saw: how many raised the marked error, and the transactions they ran in. */
interface FailingCalls {
  raised: number;
  /** txid_current() of each call's transaction, taken after the operation. */
  xids: string[];
}

/**
 * `calls` calls of the operation, each inside a transaction (`db.write`) that perf-gate fails
 * right after it with an InjectedError, once it noted the transaction's id.
 */
async function runFailingCalls(ctx: ScenarioContext, spec: Spec, calls: number, recorder: LatencyRecorder): Promise<FailingCalls> {
  const seen: FailingCalls = { raised: 0, xids: [] };
  const thenFail: Operation<unknown, unknown, never> = async (call) => {
    await spec.operation(call);
    const rows: Array<{ xid: string }> = await call.em.execute('select txid_current()::text as xid');
    if (rows[0]) seen.xids.push(rows[0].xid);
    throw new InjectedError('perf-gate failed the transaction after the operation');
  };
  for (let i = 0; i < calls; i++) {
    const outcome = await recorder.measure(() => callInTransaction(ctx.db, sharedOf(ctx), ctx.random, thenFail, 1));
    if (outcome.kind === 'error' && outcome.error instanceof InjectedError) seen.raised++;
  }
  return seen;
}

/** How many of the transactions the server reports rolled back (txid_status 'aborted'). */
async function countAborted(ctx: ScenarioContext, xids: readonly string[]): Promise<number> {
  let aborted = 0;
  for (const xid of xids) {
    const rows: Array<{ status: string | null }> = await ctx.db.withSession((s) => s.em.execute('select txid_status(?::bigint) as status', [xid]));
    if (rows[0]?.status === 'aborted') aborted++;
  }
  return aborted;
}

/**
 * `sessions.<id>.exception_cleanup`: 16 calls (scaled, at least 2), each running the operation
 * inside a transaction (`db.write`) that perf-gate then fails with a marked error (InjectedError).
 * Criteria: the marked error reaches the caller every time; every one of those transactions was
 * rolled back (the server's txid_status is 'aborted'); the cleanup checks (no session open,
 * opened == closed, none leaked, pool 0 in use).
 */
function exceptionCleanup(spec: Spec): ScenarioDefinition {
  return {
    id: `sessions.${spec.id}.exception_cleanup`,
    category: 'sessions',
    params: { calls: FAILING_CALLS },
    async run(ctx) {
      const calls = ctx.scaled(FAILING_CALLS, MIN_FAILING_CALLS);
      const before = openSessionWindow(ctx.db);
      const recorder = new LatencyRecorder();
      ctx.step(`${calls} calls in a transaction failed after the operation`);
      const seen = await runFailingCalls(ctx, spec, calls, recorder);
      const window = await closeSessionWindow(ctx.db, before);
      const aborted = await countAborted(ctx, seen.xids);
      return {
        checks: [
          check('errors_reach_caller', seen.raised === calls, `marked_error ${seen.raised}/${calls}`, `${calls}/${calls}`),
          check('transactions_rolled_back', aborted === calls, `${aborted} of ${calls} aborted`, `${calls} of ${calls} (txid_status 'aborted')`),
          ...window.checks,
        ],
        metrics: { ...recorder.metrics(), ...readResourceMetrics(ctx.db), ...window.metrics },
        samples: recorder.samples(),
        params: { calls },
      };
    },
  };
}

/**
 * The session category on the operation: `sessions.<id>.memory_stability`,
 * `sessions.<id>.exception_cleanup` and `sessions.<id>.concurrent` (20 callers at once, one call
 * each: every call succeeds, peak open sessions between 2 and 20, opened == closed, pool back to
 * 0 in use; the criteria of sessions.concurrent).
 */
export function sessionsTemplate(spec: Spec): ScenarioDefinition[] {
  return [
    memoryStability(spec),
    exceptionCleanup(spec),
    concurrentSessionsScenario({
      id: `sessions.${spec.id}.concurrent`,
      concurrency: CONCURRENT_CALLS,
      iterations: 1,
      minIterations: 1,
      operation: (ctx) => boundCall(ctx.db, sharedOf(ctx), ctx.random, spec.operation),
    }),
  ];
}
