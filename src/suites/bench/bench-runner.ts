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
import { startCpuMeter } from '../harness/cpu-meter.js';
import { poolReadings } from '../resource-metrics.js';
import { meanOf } from '../../common/statistics.js';
import type { ReferenceSampler, ScenarioContext } from '../scenario.js';

/** How long one benchmark runs and how finely benchmark.js cuts it into samples. */
export interface BenchTiming {
  /** benchmark.js `maxTime`: stop sampling once this many seconds were spent (after minSamples). */
  maxSeconds: number;
  /** When given, one raw `pg` reference call is timed after every call (see runBenchmark). */
  reference?: ReferenceSampler;
  /** One timed block of calls instead of benchmark.js (SuiteOptions.benchRunner `block`). */
  block?: boolean;
}

/** The timing of a bench scenario: the run's budget, how it is spent, and its reference probe. */
export function benchTiming(ctx: ScenarioContext): BenchTiming {
  return {
    maxSeconds: ctx.options.benchmarkMaxSeconds,
    ...(ctx.options.benchRunner === 'block' ? { block: true } : {}),
    ...(ctx.reference ? { reference: ctx.reference } : {}),
  };
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
  /**
   * The client's CPU time (user + system; the JavaScript thread's where the system tells it, see
   * cpu-meter.ts) while the calls ran, in ms: the whole timed block or benchmark, less the
   * reference calls between the calls.
   */
  cpuMs: number;
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

/** Calls a block makes at least, however slow one call is. */
const MIN_BLOCK_CALLS = 1;
/** Share of a block's budget spent on unmeasured calls before it, when calls are cheap enough. */
const WARM_UP_SHARE = 0.2;

/** The mean call time of each block's operation in the last block on a data layer (ms), by name. */
const lastCallMs = new WeakMap<DataLayerUnderTest, Map<string, number>>();

/**
 * Unmeasured calls before a block, for WARM_UP_SHARE of its budget (at least one), so the block
 * does not time a worker's cold start (caches and connections the other arm's block just used):
 * in a duet, the arm that runs second in a round has waited through the other's block. Skipped
 * when the last block's calls took longer than that share: a warm-up would cost more than the block.
 */
async function warmUp(db: DataLayerUnderTest, name: string, timing: BenchTiming, operation: () => Promise<unknown>): Promise<void> {
  const budgetMs = timing.maxSeconds * 1000 * WARM_UP_SHARE;
  const last = lastCallMs.get(db)?.get(name);
  if (last !== undefined && last > budgetMs) return;
  const started = performance.now();
  do await operation().catch(() => undefined);
  while (performance.now() - started < budgetMs);
}

/**
 * One block of back-to-back calls until `timing.maxSeconds` is spent (at least MIN_BLOCK_CALLS):
 * ops/sec is calls / elapsed, its margin of error the 95% normal interval of the mean call time
 * relative to it. No cycles, minimum samples or clock calibration as in benchmark.js, whose
 * minimums make a 10 ms round cost ten times that.
 */
async function runBlock(db: DataLayerUnderTest, name: string, timing: BenchTiming, operation: () => Promise<unknown>): Promise<BenchMeasurement> {
  await warmUp(db, name, timing, operation);
  const recorder = new LatencyRecorder();
  const referenceMs: number[] = [];
  const sampler = startPeakSampler(poolReadings(db), POOL_SAMPLE_MS);
  const cpu = startCpuMeter();
  const started = performance.now();
  const deadline = started + timing.maxSeconds * 1000;
  let calls = 0;
  try {
    do {
      await recorder.measure(operation);
      if (timing.reference) {
        cpu.pause();
        referenceMs.push(...(await timing.reference.sample(1).catch(() => [])));
        cpu.resume();
      }
      calls += 1;
    } while (calls < MIN_BLOCK_CALLS || performance.now() < deadline);
  } finally {
    cpu.pause();
    sampler.stop();
  }
  const elapsedSeconds = (performance.now() - started) / 1000;
  const byName = lastCallMs.get(db) ?? new Map<string, number>();
  lastCallMs.set(db, byName.set(name, (elapsedSeconds * 1000) / calls));
  const latency = recorder.latency();
  const rme = latency && calls > 1 ? (1.96 * latency.stddev_ms.value) / Math.sqrt(calls) / latency.avg_ms.value * 100 : 0;
  return {
    opsPerSec: withoutReference(calls / elapsedSeconds, referenceMs),
    rmePercent: Number.isFinite(rme) ? rme : 0,
    cycles: 1,
    recorder,
    peaks: sampler.peaks,
    referenceMs,
    cpuMs: cpu.elapsedMs(),
  };
}

/**
 * Benchmarks `operation` for about `timing.maxSeconds`: with benchmark.js, or as one timed block
 * (`timing.block`). A call that rejects is recorded as a failure and the benchmark goes on; only
 * benchmark.js's own error rejects the returned promise.
 */
export async function runBenchmark(
  name: string,
  db: DataLayerUnderTest,
  timing: BenchTiming,
  operation: () => Promise<unknown>,
): Promise<BenchMeasurement> {
  if (timing.block) return runBlock(db, name, timing, operation);
  const recorder = new LatencyRecorder();
  const referenceMs: number[] = [];
  const sampler = startPeakSampler(poolReadings(db), POOL_SAMPLE_MS);
  const reference = timing.reference;
  const cpu = startCpuMeter();
  const bench = new Benchmark(name, {
    ...benchmarkOptions(timing),
    fn: (deferred: BenchmarkModule.Deferred) => {
      void recorder
        .measure(operation)
        .then(async () => {
          if (!reference) return;
          cpu.pause();
          referenceMs.push(...(await reference.sample(1).catch(() => [])));
          cpu.resume();
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
    cpu.pause();
    sampler.stop();
  }
  return {
    opsPerSec: withoutReference(bench.hz, referenceMs),
    rmePercent: bench.stats.rme,
    cycles: bench.stats.sample.length,
    recorder,
    peaks: sampler.peaks,
    referenceMs,
    cpuMs: cpu.elapsedMs(),
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
