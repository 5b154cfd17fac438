import type { SizesSpec } from '../../api/index.js';
import type { Check } from '../../results/types.js';
import { benchOutcome, callFigures, keepReference, limitCheck, withPerItem } from '../../suites/bench/bench-outcome.js';
import { recallOrMeasure } from '../../suites/bench/bench-state.js';
import { benchTiming, runBenchmark } from '../../suites/bench/bench-runner.js';
import { compareInterleaved } from '../../suites/bench/interleave.js';
import { chordRatio } from '../../suites/bench/scaling.js';
import type { ScenarioContext, ScenarioDefinition } from '../../suites/scenario.js';
import { ScenarioCalls } from './operation-call.js';

/** Page sizes and batch sizes of the specification (docs/scenarios.md). */
export const DEFAULT_PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_BATCH_SIZES = [10, 50, 100] as const;

/**
 * How far below the straight line from the smallest to the largest page the middle sizes may lie:
 * 0.3 = the line may run 1.3 × above a middle size's time before growth counts as super-linear.
 * (Measured here, near-linear growth gives 0.9 to 1.1 with 40 rounds; t = 1 + 0.0003 n² gives 1.34.)
 */
export const LINEARITY_TOLERANCE = 0.3;

/** The interleaved comparison of the page sizes: the benchmark's time, at least this many rounds. */
const MIN_COMPARISON_ROUNDS = 40;

type Spec = SizesSpec<unknown, unknown>;

/** What the scenarios of a sizes template call: a run's calls at `size`, `prepare` made for it. */
const openCalls = (ctx: ScenarioContext, spec: Spec, size: number): Promise<ScenarioCalls> => ScenarioCalls.open(ctx, spec, `sizes('${spec.id}')`, size);

/** The params of a scenario at `size`. */
const sizeParams = (spec: Spec, size: number): Record<string, number> => ({ [spec.sizeParam ?? 'size']: size });

/**
 * The page checks at the largest size, as bench.pagination's: every size timed in interleaved
 * rounds; rows of the largest page cost no more than rows of the smallest, and time grows no
 * faster than linearly (the middle sizes within LINEARITY_TOLERANCE of the line).
 */
async function pageChecks(ctx: ScenarioContext, spec: Spec, sizes: readonly number[]): Promise<Check[]> {
  const variants = [];
  for (const size of sizes) variants.push({ key: String(size), operation: (await openCalls(ctx, spec, size)).sized(spec.operation, size) });
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

/** The one-by-one scenarios' id (without `bench.`). */
const oneByOneId = (spec: Spec): string => spec.oneByOneId ?? `${spec.id}.one_by_one`;
const oneByOneKey = (spec: Spec, size: number): string => `${oneByOneId(spec)}:${size}`;

/** `size` calls of the one-item operation, each in its own fork, as one timed call. */
function oneByOneCall(calls: ScenarioCalls, spec: Spec, size: number): () => Promise<void> {
  const one = calls.plain(spec.oneByOne!);
  return async () => {
    for (let i = 0; i < size; i += 1) await one();
  };
}

/** Benchmarks making `size` items one by one; remembered as the reference of the batch of that size. */
async function measureOneByOne(ctx: ScenarioContext, calls: ScenarioCalls, spec: Spec, size: number) {
  const measured = await runBenchmark(`bench.${oneByOneKey(spec, size)}`, ctx.db, benchTiming(ctx), oneByOneCall(calls, spec, size));
  keepReference(ctx.db, oneByOneKey(spec, size), measured.recorder);
  return measured;
}

function pageScenario(spec: Spec, size: number, sizes: readonly number[]): ScenarioDefinition {
  const id = `bench.${spec.id}:${size}`;
  const largest = size === sizes[sizes.length - 1];
  return {
    id,
    category: 'bench',
    params: sizeParams(spec, size),
    async run(ctx) {
      const calls = await openCalls(ctx, spec, size);
      const measured = await runBenchmark(id, ctx.db, benchTiming(ctx), calls.sized(spec.operation, size));
      const checks = largest && ctx.options.sideMeasurements !== false ? await pageChecks(ctx, spec, sizes) : [];
      checks.push(...(await calls.verify()));
      return benchOutcome(ctx, measured, { checks, metrics: withPerItem({}, measured.recorder, size) });
    },
  };
}

function oneByOneScenario(spec: Spec, size: number): ScenarioDefinition {
  return {
    id: `bench.${oneByOneKey(spec, size)}`,
    category: 'bench',
    params: sizeParams(spec, size),
    async run(ctx) {
      const calls = await openCalls(ctx, spec, size);
      const measured = await measureOneByOne(ctx, calls, spec, size);
      return benchOutcome(ctx, measured, { checks: await calls.verify(), metrics: withPerItem({}, measured.recorder, size) });
    },
  };
}

function batchScenario(spec: Spec, size: number): ScenarioDefinition {
  const id = `bench.${spec.id}:${size}`;
  return {
    id,
    category: 'bench',
    params: sizeParams(spec, size),
    async run(ctx) {
      const calls = await openCalls(ctx, spec, size);
      const measured = await runBenchmark(id, ctx.db, benchTiming(ctx), calls.sized(spec.operation, size));
      const single = await recallOrMeasure(ctx.db, oneByOneKey(spec, size), async () =>
        callFigures((await measureOneByOne(ctx, calls, spec, size)).recorder),
      );
      const ratio = callFigures(measured.recorder).p50Ms / single.p50Ms;
      const checks = [
        ...(await calls.verify()),
        limitCheck('batch_beats_one_by_one', ratio, 1, `median time of a batch of ${size} / ${size} calls one by one`, true),
      ];
      return benchOutcome(ctx, measured, { checks, metrics: withPerItem({}, measured.recorder, size) });
    },
  };
}

/**
 * `bench.<id>:<size>` for each size. Pages (no `oneByOne`): at the largest size, per-row time and
 * linear growth are checked. Batches (`oneByOne`): the one-by-one scenarios of every size run
 * first (`bench.<oneByOneId>:<size>`), then the batches, each of which must take less time than
 * its items one by one (measured by the batch scenario itself when the one-by-one one did not run
 * in the last minute). Every scenario runs `prepare` first and `verify`'s checks after.
 */
export function sizesTemplate(spec: Spec): ScenarioDefinition[] {
  const sizes = [...(spec.sizes ?? (spec.oneByOne ? DEFAULT_BATCH_SIZES : DEFAULT_PAGE_SIZES))].sort((a, b) => a - b);
  if (spec.oneByOne) return [...sizes.map((size) => oneByOneScenario(spec, size)), ...sizes.map((size) => batchScenario(spec, size))];
  return sizes.map((size) => pageScenario(spec, size, sizes));
}
