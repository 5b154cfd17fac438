import type { Metric } from '../../results/types.js';
import { toMetric } from '../harness/latency-metrics.js';
import type { ScenarioContext, ScenarioDefinition } from '../scenario.js';
import { benchOutcome, callFigures, withPerItem } from './bench-outcome.js';
import { benchTiming, runBenchmark } from './bench-runner.js';
import { nextNewUser } from './bench-users.js';
import { compareInterleaved } from './interleave.js';
import { expectThat, type BenchOperation } from './simple-bench.js';
import { countAuditRows, countUsers, storedCheck } from './stored-rows.js';

/** Transaction sizes (docs/scenarios.md); size 1 is the reference of the others. */
export const TRANSACTION_SIZES = [1, 5, 10, 20] as const;

/** The comparison with size 1 runs for this share of the benchmark time, at least MIN_ROUNDS rounds. */
const COMPARISON_SHARE = 0.5;
const MIN_ROUNDS = 7;

/** One call: a transaction creating `size` unique users, each flushed with its audit row. */
function transactionOperation(ctx: ScenarioContext, size: number, created: string[]): BenchOperation {
  return async () => {
    const ids = await ctx.db.write(async (s) => {
      const made: string[] = [];
      for (let i = 0; i < size; i += 1) made.push((await s.users.createUser(nextNewUser(ctx))).id);
      return made;
    });
    expectThat(ids.length === size, `${ids.length} users created, expected ${size}`);
    created.push(...ids);
  };
}

/**
 * Commit overhead from the medians at size 1 and size N, under the model t(n) = c + n × u: the
 * marginal cost of an operation is u = (t(N) − t(1)) / (N − 1) and the fixed cost of a transaction
 * (begin, commit, session) is c = t(1) − u.
 */
export function commitOverheadMs(single: number, sizeN: number, size: number): number {
  return single - (sizeN - single) / (size - 1);
}

/** Size 1 and size N timed in interleaved rounds (the same machine for both): the commit overhead. */
async function commitOverhead(ctx: ScenarioContext, size: number, created: string[]): Promise<Record<string, Metric>> {
  const variants = [1, size].map((s) => ({ key: String(s), operation: transactionOperation(ctx, s, created) }));
  const budget = { seconds: ctx.options.benchmarkMaxSeconds * COMPARISON_SHARE, minRounds: MIN_ROUNDS };
  const recorders = await compareInterleaved(variants, ctx.random, budget);
  const single = callFigures(recorders.get('1')!).p50Ms;
  const whole = callFigures(recorders.get(String(size))!).p50Ms;
  const overhead = commitOverheadMs(single, whole, size);
  return Number.isFinite(overhead) ? { commit_overhead_ms: toMetric('commit_overhead_ms', overhead) } : {};
}

/**
 * bench.transaction:N: one transaction (`db.write`) that creates N unique users, each flushed with
 * its audit row inside the transaction. Metrics: per_item_ms = mean transaction time / N; for
 * N > 1, commit_overhead_ms: the fixed cost of a transaction, from the medians of sizes 1 and N
 * timed in interleaved rounds after the benchmark (a measurement, not a criterion: the scenario is
 * there to measure it, and its share of a small transaction is too close to noise to gate on).
 * Criteria: every call succeeds; every created user and its `create` audit row are stored, N per
 * transaction. The commit overhead is a side measurement (SuiteOptions.sideMeasurements).
 */
function defineTransaction(size: number): ScenarioDefinition {
  return {
    id: `bench.transaction:${size}`,
    category: 'bench',
    params: { operations: size },
    async run(ctx) {
      const created: string[] = [];
      const operation = transactionOperation(ctx, size, created);
      const measured = await runBenchmark(`bench.transaction:${size}`, ctx.db, benchTiming(ctx), operation);
      const overhead = size > 1 && ctx.options.sideMeasurements !== false ? await commitOverhead(ctx, size, created) : {};
      const checks = [
        storedCheck('users_stored', await countUsers(ctx.db, created, 'live'), created.length),
        storedCheck('audit_rows_stored', await countAuditRows(ctx.db, 'User', created, ['create']), created.length),
      ];
      return benchOutcome(ctx, measured, { checks, metrics: withPerItem(overhead, measured.recorder, size) });
    },
  };
}

export const transactionScenarios: ScenarioDefinition[] = TRANSACTION_SIZES.map(defineTransaction);
