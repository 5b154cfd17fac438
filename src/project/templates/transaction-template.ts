import type { TransactionSpec } from '../../api/index.js';
import type { Metric } from '../../results/types.js';
import { benchOutcome, callFigures, withPerItem } from '../../suites/bench/bench-outcome.js';
import { benchTiming, runBenchmark } from '../../suites/bench/bench-runner.js';
import { compareInterleaved } from '../../suites/bench/interleave.js';
import { commitOverheadMs, TRANSACTION_SIZES } from '../../suites/bench/transaction.js';
import { toMetric } from '../../suites/harness/latency-metrics.js';
import type { ScenarioContext, ScenarioDefinition } from '../../suites/scenario.js';
import { ScenarioCalls } from './operation-call.js';

/** The comparison with size 1: half the benchmark time, at least this many rounds (as bench.transaction's). */
const COMPARISON_SHARE = 0.5;
const MIN_ROUNDS = 7;

type Spec = TransactionSpec<unknown, unknown>;

/** The fixed cost of a transaction, from sizes 1 and n timed in interleaved rounds. */
async function commitOverhead(ctx: ScenarioContext, calls: ScenarioCalls, spec: Spec, size: number): Promise<Record<string, Metric>> {
  const variants = [1, size].map((n) => ({ key: String(n), operation: calls.transaction(spec.operation, n) }));
  const budget = { seconds: ctx.options.benchmarkMaxSeconds * COMPARISON_SHARE, minRounds: MIN_ROUNDS };
  const recorders = await compareInterleaved(variants, ctx.random, budget);
  const overhead = commitOverheadMs(callFigures(recorders.get('1')!).p50Ms, callFigures(recorders.get(String(size))!).p50Ms, size);
  return Number.isFinite(overhead) ? { commit_overhead_ms: toMetric('commit_overhead_ms', overhead) } : {};
}

/**
 * `bench.<id>:<n>`: n calls of the operation in one transaction (`em.transactional`), with
 * per_item_ms and, for n > 1, commit_overhead_ms (a measurement, as bench.transaction's).
 * Criteria: every transaction succeeds; `verify`'s checks (`prepare` runs first).
 */
export function transactionTemplate(spec: Spec): ScenarioDefinition[] {
  const sizes = spec.sizes ?? TRANSACTION_SIZES;
  return sizes.map((size) => {
    const id = `bench.${spec.id}:${size}`;
    return {
      id,
      category: 'bench',
      params: { operations: size },
      async run(ctx) {
        const calls = await ScenarioCalls.open(ctx, spec, `transaction('${spec.id}')`);
        const measured = await runBenchmark(id, ctx.db, benchTiming(ctx), calls.transaction(spec.operation, size));
        const overhead = size > 1 && ctx.options.sideMeasurements !== false ? await commitOverhead(ctx, calls, spec, size) : {};
        return benchOutcome(ctx, measured, { checks: await calls.verify(), metrics: withPerItem(overhead, measured.recorder, size) });
      },
    };
  });
}
