/**
 * Runs one benchmark with benchmark.js and times every single call as well. With a reference probe,
 * each call is followed by one raw `pg` get-by-id, timed apart: the scenario's `reference_ms` is then
 * read in the very moments the calls ran, which is what lets the verdict divide a shared runner's
 * changing speed out of the scenario's latencies.
 *
 * benchmark.js measures cycles of many calls and gives ops/sec (`hz`) with its relative margin of
 * error; it knows nothing of single calls, so the deferred function wraps each call in a
 * LatencyRecorder, which gives the latency summary, the error count and the raw samples. The
 * operation is async, so the benchmark is `defer: true` and the call resolves the deferred when the
 * operation settles. No `setup`/`teardown` is given: with either, benchmark.js would decompile the
 * test function into a `Function` template and lose its closure.
 *
 * benchmark.js loads lodash through a `require` wrapper of its own, which a bundler cannot follow:
 * in the action's single-file bundle (no node_modules beside it) its default export would have no
 * lodash and throw on first use. So lodash is imported here, where the bundler sees it, and handed
 * to `runInContext`, which builds a Benchmark bound to it (the same code, unbundled or bundled).
 */
import BenchmarkModule from 'benchmark';
// @ts-expect-error lodash ships no type declarations; benchmark.js only needs the object.
import lodash from 'lodash';
import type { DataLayerUnderTest } from '../subject.js';
import { LatencyRecorder } from '../harness/latency-recorder.js';
import { startPeakSampler } from '../harness/peak-sampler.js';
import { poolReadings } from '../resource-metrics.js';
import { meanOf } from '../../common/statistics.js';
import type { ReferenceSampler, ScenarioContext } from '../scenario.js';

/** How long one benchmark runs and how finely benchmark.js cuts it into samples. */
export interface BenchTiming {
  /** benchmark.js `maxTime`: stop sampling once this many seconds were spent (after minSamples). */
  maxSeconds: number;
  /** When given, one raw `pg` reference call is timed after every call (see runBenchmark). */
  reference?: ReferenceSampler;
}

/** The timing of a bench scenario: the run's budget and its reference probe. */
export function benchTiming(ctx: ScenarioContext): BenchTiming {
  return { maxSeconds: ctx.options.benchmarkMaxSeconds, ...(ctx.reference ? { reference: ctx.reference } : {}) };
}

/** benchmark.js bound to a lodash the bundler includes (see the file comment). */
const Benchmark = BenchmarkModule.runInContext({ _: lodash as unknown }) as typeof BenchmarkModule;

/** Fewest cycles benchmark.js takes: two, the least that gives a margin of error. */
const MIN_SAMPLES = 2;
/** A cycle lasts at least maxTime / this, so a run yields about this many samples. */
const CYCLES_PER_RUN = 8;
/** Floor of benchmark.js `minTime` (s): shorter cycles would be dominated by timer noise. */
const MIN_CYCLE_SECONDS = 0.01;
/** How often the pool is sampled for its peaks while a benchmark runs (ms). */
const POOL_SAMPLE_MS = 5;

/** What one benchmark measured. */
export interface BenchMeasurement {
  /** Operations per second (benchmark.js `hz`). */
  opsPerSec: number;
  /** Relative margin of error of opsPerSec, percent (benchmark.js `stats.rme`). */
  rmePercent: number;
  /** Cycles benchmark.js sampled. */
  cycles: number;
  /** Every single call, timed. */
  recorder: LatencyRecorder;
  /** Peak pool use seen while the benchmark ran. */
  peaks: { poolInUse?: number; poolWaiting?: number };
  /** Reference calls timed between the calls (ms each); empty without a probe. */
  referenceMs: number[];
}

/** benchmark.js's settings for an async operation within the time budget. */
export function benchmarkOptions(timing: BenchTiming): BenchmarkModule.Options {
  return {
    defer: true,
    async: true,
    maxTime: timing.maxSeconds,
    minTime: Math.max(MIN_CYCLE_SECONDS, timing.maxSeconds / CYCLES_PER_RUN),
    minSamples: MIN_SAMPLES,
    initCount: 1,
    delay: 0,
  };
}

/**
 * Benchmarks `operation` for about `timing.maxSeconds`. A call that rejects is recorded as a
 * failure and the benchmark goes on; only benchmark.js's own error rejects the returned promise.
 */
export async function runBenchmark(
  name: string,
  db: DataLayerUnderTest,
  timing: BenchTiming,
  operation: () => Promise<unknown>,
): Promise<BenchMeasurement> {
  const recorder = new LatencyRecorder();
  const referenceMs: number[] = [];
  const sampler = startPeakSampler(poolReadings(db), POOL_SAMPLE_MS);
  const reference = timing.reference;
  const bench = new Benchmark(name, {
    ...benchmarkOptions(timing),
    fn: (deferred: BenchmarkModule.Deferred) => {
      void recorder
        .measure(operation)
        .then(async () => {
          if (reference) referenceMs.push(...(await reference.sample(1).catch(() => [])));
        })
        .then(() => deferred.resolve());
    },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      bench.on('complete', () => (bench.error ? reject(bench.error) : resolve()));
      bench.run();
    });
  } finally {
    sampler.stop();
  }
  return {
    opsPerSec: withoutReference(bench.hz, referenceMs),
    rmePercent: bench.stats.rme,
    cycles: bench.stats.sample.length,
    recorder,
    peaks: sampler.peaks,
    referenceMs,
  };
}

/**
 * benchmark.js timed each call together with the reference call after it; ops/sec of the call
 * alone takes the mean reference time back out of the mean cycle time per call.
 */
function withoutReference(hz: number, referenceMs: readonly number[]): number {
  if (referenceMs.length === 0 || !(hz > 0)) return hz;
  const perCallSeconds = 1 / hz - meanOf(referenceMs) / 1000;
  return perCallSeconds > 0 ? 1 / perCallSeconds : hz;
}
