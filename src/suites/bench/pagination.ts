import type { Check } from '../../results/types.js';
import type { ScenarioContext, ScenarioDefinition } from '../scenario.js';
import { benchOutcome, callFigures, limitCheck, withPerItem } from './bench-outcome.js';
import { benchTiming, runBenchmark } from './bench-runner.js';
import { compareInterleaved, type Variant } from './interleave.js';
import { chordRatio } from './scaling.js';
import { expectThat, type BenchOperation } from './simple-bench.js';

/** Page sizes (docs/scenarios.md), smallest first; the largest carries the scaling checks. */
export const PAGE_SIZES = [10, 25, 50, 100] as const;

/**
 * How far below the straight line from the smallest to the largest page the middle sizes may lie:
 * 0.3 = the line may run 1.3 × above a middle size's time before growth counts as super-linear.
 * (Measured here, near-linear growth gives 0.9 to 1.1 with 40 rounds; t = 1 + 0.0003 n² gives 1.34.)
 */
export const LINEARITY_TOLERANCE = 0.3;

/** The scaling comparison runs for this share of the benchmark time, at least MIN_ROUNDS rounds. */
const COMPARISON_SHARE = 1;
const MIN_ROUNDS = 40;

/** One call: a random full page of `size` live users with the total (`s.users.paginate`). */
async function pageOperation(ctx: ScenarioContext, size: number): Promise<BenchOperation> {
  const first = await ctx.db.read((s) => s.users.paginate(1, size));
  const fullPages = Math.floor(first.total / size);
  if (fullPages < 1) throw new Error(`pagination needs at least ${size} live users, found ${first.total}`);
  return async () => {
    const page = ctx.random.int(1, fullPages);
    const result = await ctx.db.read((s) => s.users.paginate(page, size));
    expectThat(result.items.length === size && result.total > 0, `page ${page} has ${result.items.length} rows, expected ${size}`);
  };
}

/**
 * The checks of the largest size, from every size's median page time measured in interleaved
 * rounds (so drift of the machine hits all sizes alike): rows of the largest page cost no more
 * than rows of the smallest page, and the middle sizes lie within LINEARITY_TOLERANCE of the
 * straight line from the smallest to the largest size (see chordRatio).
 */
async function scalingChecks(ctx: ScenarioContext, size: number): Promise<Check[]> {
  const variants: Variant[] = [];
  for (const s of PAGE_SIZES) variants.push({ key: String(s), operation: await pageOperation(ctx, s) });
  const budget = { seconds: ctx.options.benchmarkMaxSeconds * COMPARISON_SHARE, minRounds: MIN_ROUNDS };
  const recorders = await compareInterleaved(variants, ctx.random, budget);
  const median = (s: number): number => callFigures(recorders.get(String(s))!).p50Ms;
  const smallest = PAGE_SIZES[0];
  const perRowRatio = median(size) / size / (median(smallest) / smallest);
  const linearity = chordRatio(PAGE_SIZES.map((s) => ({ size: s, ms: median(s) })));
  return [
    limitCheck('per_row_not_degraded', perRowRatio, 1, `median per-row time at ${size} / at ${smallest}`),
    limitCheck('scales_linearly', linearity, 1 + LINEARITY_TOLERANCE, `line from ${smallest} to ${size} rows / median time, worst size between`),
  ];
}

/**
 * bench.pagination:N: pages of N live users at random page numbers, with the total count
 * (`db.read((s) => s.users.paginate(page, N))`, in creation order). Metric per_item_ms = mean
 * page time / N.
 * Criteria: every call succeeds with a full page. At the largest size (100), after its benchmark,
 * sizes 10, 25, 50 and 100 are timed in interleaved rounds and compared by median: rows cost no
 * more than at size 10 (large pages don't degrade per row), and page time grows no faster than
 * linearly: the straight line from the 10-row to the 100-row time runs at most 1.3 × above the
 * 25- and 50-row times (growth faster than the page size would put them below the line). The
 * comparison is a side measurement (SuiteOptions.sideMeasurements).
 */
function definePagination(size: number): ScenarioDefinition {
  const largest = size === Math.max(...PAGE_SIZES);
  return {
    id: `bench.pagination:${size}`,
    category: 'bench',
    params: { page_size: size },
    async run(ctx) {
      const operation = await pageOperation(ctx, size);
      const measured = await runBenchmark(`bench.pagination:${size}`, ctx.db, benchTiming(ctx), operation);
      const checks = largest && ctx.options.sideMeasurements !== false ? await scalingChecks(ctx, size) : [];
      return benchOutcome(ctx, measured, { checks, metrics: withPerItem({}, measured.recorder, size) });
    },
  };
}

export const paginationScenarios: ScenarioDefinition[] = PAGE_SIZES.map(definePagination);
