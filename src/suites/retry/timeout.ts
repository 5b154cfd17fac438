import type { DataLayerUnderTest } from '../subject.js';
import { OperationTimeoutError } from '../../db/errors.js';
import { toMetric } from '../harness/latency-metrics.js';
import {
  allSucceeded,
  maxPeaks,
  poolChecks,
  readRandomUser,
  runPoolLoad,
  scenarioMetrics,
  settlePool,
  timeOutcome,
  watchPool,
} from '../pooling/pool-load.js';
import { check, timingCheck, type ScenarioContext, type ScenarioDefinition } from '../scenario.js';
import { sharedLayerChecks } from './retry-helpers.js';

const SLOW_OPERATIONS = 10;
/** A slow operation sleeps this many times its time limit. */
const SLEEP_FACTOR = 5;
/** A timed-out operation returns within its limit plus this, ms (the server cancels it). */
const RETURN_GRACE_MS = 300;
/** A black-holed server cannot be told to cancel: the data layer's 1 s client grace, plus margin. */
const BLACKHOLE_GRACE_MS = 1500;
const READS_AFTER = { workers: 5, iterations: 10 };

/** Slow statements on the gate's data layer, all at once, each limited to `limitMs`. */
async function runSlowOperations(ctx: ScenarioContext, count: number, limitMs: number, marker: string) {
  const sampler = watchPool(ctx.db);
  const seconds = (limitMs * SLEEP_FACTOR) / 1000;
  const outcomes = await Promise.all(
    Array.from({ length: count }, () =>
      timeOutcome(() => ctx.db.withSession((s) => s.em.execute(`select pg_sleep(?) /* ${marker} */`, [seconds]), { timeoutMs: limitMs })),
    ),
  );
  return { outcomes, peaks: sampler.stop() };
}

/**
 * Statements with `marker` still running in this database, other than the one asking (a duet's
 * other arm runs the same seeded marker in its own database at the same time).
 */
async function countRunning(db: DataLayerUnderTest, marker: string): Promise<number> {
  const rows: Array<{ n: number }> = await db.withSession((s) =>
    s.em.execute(
      `select count(*)::int as n from pg_stat_activity where state = 'active' and datname = current_database() and pid <> pg_backend_pid() and query like ?`,
      [`%${marker}%`],
    ),
  );
  return rows[0]?.n ?? -1;
}

/** A timed operation on a connection the proxy black-holes: given up at the client deadline? */
async function blackholedOperation(ctx: ScenarioContext, limitMs: number) {
  const proxy = await ctx.startProxy();
  const db = await ctx.openDataLayer({ pool: { size: 1, maxOverflow: 0 }, retry: { maxRetries: 0 } }, proxy.url(ctx.settings.url));
  await db.read((s) => s.em.execute('select 1'));
  await proxy.setMode({ kind: 'blackhole' });
  ctx.step(`a ${limitMs} ms timed statement on a connection the fault proxy black-holes`);
  const outcome = await timeOutcome(() => db.withSession((s) => s.em.execute('select 1'), { timeoutMs: limitMs }));
  await proxy.setMode({ kind: 'pass' });
  const healed = await timeOutcome(() => db.read((s) => s.em.execute('select 1')));
  return { outcome, healed, end: await settlePool(db) };
}

/**
 * retry.timeout: 10 statements at once on the gate's data layer, each sleeping 5 x the operation
 * timeout (200 ms by default) inside `withSession(fn, { timeoutMs })`; then getById reads; then a
 * timed statement on a data layer of its own whose connection the fault proxy black-holes.
 * Criteria: every slow statement ends in OperationTimeoutError within the limit + 300 ms; none
 * still running on the server (pg_stat_activity); the pool back to 0 in use and never over its
 * max; reads succeed afterwards; the black-holed statement is given up with OperationTimeoutError
 * within the limit + 1.5 s (no server to cancel it), and that data layer serves reads once healed.
 */
export const timeout: ScenarioDefinition = {
  id: 'retry.timeout',
  category: 'retry',
  params: { slowOperations: SLOW_OPERATIONS, sleepFactor: SLEEP_FACTOR },
  async run(ctx) {
    const limitMs = ctx.options.operationTimeoutMs;
    const count = ctx.scaled(SLOW_OPERATIONS, 3);
    const marker = `perf_gate_timeout_${ctx.random.int(1, 2 ** 31)}`;
    ctx.db.sessions.resetPeak();
    ctx.step(`${count} statements sleeping ${SLEEP_FACTOR} x their ${limitMs} ms limit`);
    const slow = await runSlowOperations(ctx, count, limitMs, marker);
    const orphans = await countRunning(ctx.db, marker);
    const endSlow = await settlePool(ctx.db);
    const reads = ctx.scaled(READS_AFTER.iterations, 2);
    const after = await runPoolLoad(ctx.db, { concurrency: READS_AFTER.workers, iterations: reads, operation: readRandomUser(ctx) });
    const hole = await blackholedOperation(ctx, limitMs);
    const timedOut = slow.outcomes.filter((o) => o.error instanceof OperationTimeoutError).length;
    const slowestMs = Math.max(...slow.outcomes.map((o) => o.ms));
    const peaks = maxPeaks(slow.peaks, after.peaks);
    return {
      checks: [
        check('all_timed_out', timedOut === count, `${timedOut} of ${count}`, `${count} OperationTimeoutError`),
        timingCheck('timeout_enforced', slowestMs <= limitMs + RETURN_GRACE_MS, slowestMs, `<= ${limitMs + RETURN_GRACE_MS} ms (limit + ${RETURN_GRACE_MS})`),
        check('no_orphan_queries', orphans === 0, orphans, '0 still running on the server'),
        ...poolChecks(endSlow, peaks),
        allSucceeded(after, READS_AFTER.workers * reads),
        check('blackhole_given_up', hole.outcome.error instanceof OperationTimeoutError, hole.outcome.error instanceof Error ? hole.outcome.error.name : String(hole.outcome.error), 'OperationTimeoutError'),
        timingCheck('blackhole_deadline', hole.outcome.ms <= limitMs + BLACKHOLE_GRACE_MS, hole.outcome.ms, `<= ${limitMs + BLACKHOLE_GRACE_MS} ms`),
        check('blackhole_layer_recovers', hole.healed.error === undefined && hole.end.inUse === 0, `in use ${hole.end.inUse}`, 'read succeeds, 0 in use'),
        ...sharedLayerChecks(ctx),
      ],
      metrics: {
        ...scenarioMetrics(ctx.db, peaks, after),
        timeout_ms: toMetric('timeout_ms', slowestMs),
        orphan_queries: toMetric('orphan_queries', orphans),
      },
      samples: after.samples,
      params: { slowOperations: count, limitMs, sleepMs: limitMs * SLEEP_FACTOR },
    };
  },
};
