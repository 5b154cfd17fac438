import type { SizesSpec } from '../../api/index.js';
import type { Check } from '../../results/types.js';
import { benchOutcome, callFigures, keepReference, limitCheck, withPerItem } from '../../suites/bench/bench-outcome.js';
import { recallOrMeasure } from '../../suites/bench/bench-state.js';
import { benchTiming, runBenchmark } from '../../suites/bench/bench-runner.js';
import { compareInterleaved } from '../../suites/bench/interleave.js';
import { LINEARITY_TOLERANCE } from '../../suites/bench/pagination.js';
import { chordRatio } from '../../suites/bench/scaling.js';
import type { ScenarioContext, ScenarioDefinition } from '../../suites/scenario.js';
import { callOperation, callSized, type ProjectState } from './operation-call.js';

/** Page sizes and batch sizes of the specification (docs/scenarios.md). */
export const DEFAULT_PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_BATCH_SIZES = [10, 50, 100] as const;

/** The interleaved comparison of the page sizes: the benchmark's time, at least this many rounds. */
const MIN_COMPARISON_ROUNDS = 40;

type Spec = SizesSpec<unknown, unknown>;

/** One call at `size`. */
const sizedCall = (ctx: ScenarioContext, state: ProjectState, spec: Spec, size: number) => () =>
  callSized(ctx.db, state, ctx.random, spec.operation, size);

/**
 * The page checks at the largest size, as bench.pagination's: every size timed in interleaved
 * rounds; rows of the largest page cost no more than rows of the smallest, and time grows no
 * faster than linearly (the middle sizes within LINEARITY_TOLERANCE of the line).
 */
async function pageChecks(ctx: ScenarioContext, state: ProjectState, spec: Spec, sizes: readonly number[]): Promise<Check[]> {
  const variants = sizes.map((size) => ({ key: String(size), operation: sizedCall(ctx, state, spec, size) }));
  const recorders = await compareInterleaved(variants, ctx.random, { seconds: ctx.options.benchmarkMaxSeconds, minRounds: MIN_COMPARISON_ROUNDS });
  const median = (size: number): number => callFigures(recorders.get(String(size))!).p50Ms;
  const smallest = sizes[0]!;
  const largest = sizes[sizes.length - 1]!;
  const perRow = median(largest) / largest / (median(smallest) / smallest);
  const checks = [limitCheck('per_row_not_degraded', perRow, 1, `median per-row time at ${largest} / at ${smallest}`)];
  if (sizes.length > 2) {
    const linearity = chordRatio(sizes.map((size) => ({ size, ms: median(size) })));
    checks.push(limitCheck('scales_linearly', linearity, 1 + LINEARITY_TOLERANCE, `line from ${smallest} to ${largest} rows / median time, worst size between`));
  }
  return checks;
}

const oneByOneKey = (id: string, size: number): string => `${id}.one_by_one:${size}`;

/** `size` calls of the one-item operation, each in its own fork, as one timed call. */
function oneByOneCall(ctx: ScenarioContext, state: ProjectState, spec: Spec, size: number): () => Promise<void> {
  const one = spec.oneByOne!;
  return async () => {
    for (let i = 0; i < size; i += 1) await callOperation(ctx.db, state, ctx.random, one);
  };
}

/** Benchmarks making `size` items one by one; remembered as the reference of the batch of that size. */
async function measureOneByOne(ctx: ScenarioContext, state: ProjectState, spec: Spec, size: number) {
  const id = `bench.${oneByOneKey(spec.id, size)}`;
  const measured = await runBenchmark(id, ctx.db, benchTiming(ctx), oneByOneCall(ctx, state, spec, size));
  keepReference(ctx.db, oneByOneKey(spec.id, size), measured.recorder);
  return measured;
}

function pageScenario(spec: Spec, state: ProjectState, size: number, sizes: readonly number[]): ScenarioDefinition {
  const id = `bench.${spec.id}:${size}`;
  const largest = size === sizes[sizes.length - 1];
  return {
    id,
    category: 'bench',
    params: { size },
    async run(ctx) {
      const measured = await runBenchmark(id, ctx.db, benchTiming(ctx), sizedCall(ctx, state, spec, size));
      const checks = largest && ctx.options.sideMeasurements !== false ? await pageChecks(ctx, state, spec, sizes) : [];
      return benchOutcome(ctx, measured, { checks, metrics: withPerItem({}, measured.recorder, size) });
    },
  };
}

function batchScenarios(spec: Spec, state: ProjectState, size: number): ScenarioDefinition[] {
  const id = `bench.${spec.id}:${size}`;
  const oneByOne: ScenarioDefinition = {
    id: `bench.${oneByOneKey(spec.id, size)}`,
    category: 'bench',
    params: { size },
    async run(ctx) {
      const measured = await measureOneByOne(ctx, state, spec, size);
      return benchOutcome(ctx, measured, { metrics: withPerItem({}, measured.recorder, size) });
    },
  };
  const batch: ScenarioDefinition = {
    id,
    category: 'bench',
    params: { size },
    async run(ctx) {
      const measured = await runBenchmark(id, ctx.db, benchTiming(ctx), sizedCall(ctx, state, spec, size));
      const single = await recallOrMeasure(ctx.db, oneByOneKey(spec.id, size), async () =>
        callFigures((await measureOneByOne(ctx, state, spec, size)).recorder),
      );
      const ratio = callFigures(measured.recorder).p50Ms / single.p50Ms;
      const checks = [limitCheck('batch_beats_one_by_one', ratio, 1, `median time of a batch of ${size} / ${size} calls one by one`, true)];
      return benchOutcome(ctx, measured, { checks, metrics: withPerItem({}, measured.recorder, size) });
    },
  };
  return [oneByOne, batch];
}

/**
 * `bench.<id>:<size>` for each size. Pages (no `oneByOne`): at the largest size, per-row time and
 * linear growth are checked. Batches (`oneByOne`): `bench.<id>.one_by_one:<size>` runs just before
 * each batch size, and the batch must take less time than its items one by one.
 */
export function sizesTemplate(spec: Spec, state: ProjectState): ScenarioDefinition[] {
  const sizes = [...(spec.sizes ?? (spec.oneByOne ? DEFAULT_BATCH_SIZES : DEFAULT_PAGE_SIZES))].sort((a, b) => a - b);
  if (spec.oneByOne) return sizes.flatMap((size) => batchScenarios(spec, state, size));
  return sizes.map((size) => pageScenario(spec, state, size, sizes));
}
