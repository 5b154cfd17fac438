import { toMetric } from '../harness/latency-metrics.js';
import { LatencyRecorder } from '../harness/latency-recorder.js';
import { readMemory, settleGc, trackPeakHeap } from '../harness/memory.js';
import { readResourceMetrics } from '../resource-metrics.js';
import { check, type ScenarioContext, type ScenarioDefinition } from '../scenario.js';
import { closeSessionWindow, openSessionWindow } from './session-checks.js';
import { runSessionLoad } from './session-workload.js';

const BATCHES = 10;
const OPERATIONS = 1000;
const CONCURRENCY = 5;
const MAX_GROWTH_MB = 50;
/** Heap after GC may settle for a few batches (caches warming); a leak keeps climbing. */
const MAX_LATE_SLOPE_MB_PER_BATCH = 0.5;

/** Memory after a settled GC, MB. */
export interface Reading {
  rssMb: number;
  heapMb: number;
}

async function settledReading(): Promise<Reading> {
  await settleGc();
  const memory = readMemory();
  return { rssMb: memory.rssMb, heapMb: memory.heapUsedMb };
}

/** Least-squares slope of `values` against their index (units per step); 0 for fewer than 2. */
export function slopeOf(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((sum, v) => sum + v, 0) / n;
  let num = 0;
  let den = 0;
  values.forEach((v, x) => {
    num += (x - meanX) * (v - meanY);
    den += (x - meanX) ** 2;
  });
  return num / den;
}

/** Calls per batch: 1000 / 10 batches at scale 1 (scaled), a whole number of rounds of the 5 workers. */
export function memoryBatchSize(ctx: ScenarioContext): number {
  return CONCURRENCY * ctx.scaled(OPERATIONS / BATCHES / CONCURRENCY);
}

/**
 * Runs the 10 batches of `operation` (5 workers),
 * reading settled memory before the first and after each.
 */
export async function runBatches(ctx: ScenarioContext, batchSize: number, recorder: LatencyRecorder, operation: () => Promise<unknown>) {
  const start = await settledReading();
  const after: Reading[] = [];
  const peaks = { poolInUse: 0, poolWaiting: 0 };
  let loadMs = 0;
  for (let batch = 0; batch < BATCHES; batch++) {
    const load = await runSessionLoad(ctx.db, CONCURRENCY, batchSize / CONCURRENCY, operation, recorder);
    loadMs += load.wallMs;
    peaks.poolInUse = Math.max(peaks.poolInUse, load.peaks.poolInUse ?? 0);
    peaks.poolWaiting = Math.max(peaks.poolWaiting, load.peaks.poolWaiting ?? 0);
    after.push(await settledReading());
  }
  return { start, after, peaks, loadMs };
}

const fixed = (values: readonly number[]) => values.map((v) => v.toFixed(2)).join(' ');

/** The settled readings as params: RSS growth of each batch and the heap after it, MB. */
export function batchParams(start: Reading, after: readonly Reading[]): Record<string, string> {
  return {
    rss_growth_per_batch_mb: fixed(after.map((r, i) => r.rssMb - (i === 0 ? start : after[i - 1]!).rssMb)),
    heap_after_batch_mb: fixed(after.map((r) => r.heapMb)),
  };
}

/** Heap readings while the batches run, ms apart, for the peak. */
const PEAK_HEAP_SAMPLE_MS = 5;

/**
 * sessions.memory_stability (a perf file's sessions.<id>.memory_stability): 1000 calls of the
 * operation (scaled) in 10 batches of 5 workers, with RSS and V8 heap read after a forced GC
 * before the first batch and after each one, and the heap sampled every 5 ms for its peak.
 * Criteria: RSS growth over the run < 50 MB; the heap does not keep growing (the slope of the
 * settled heap over the second half of the batches < 0.5 MB per batch, the first half being
 * warm-up); no session open, opened == closed, none leaked, pool 0 in use.
 * Recorded: memory_growth_mb (RSS), heap_growth_mb, peak_heap_mb.
 */
export function memoryStabilityScenario(id: string, call: (ctx: ScenarioContext) => () => Promise<unknown>): ScenarioDefinition {
  return {
  id,
  category: 'sessions',
  params: { operations: OPERATIONS, batches: BATCHES, concurrency: CONCURRENCY },
  async run(ctx) {
    const batchSize = memoryBatchSize(ctx);
    const before = openSessionWindow(ctx.db);
    const recorder = new LatencyRecorder();
    const peak = trackPeakHeap(PEAK_HEAP_SAMPLE_MS);
    ctx.step(`10 batches of ${batchSize} calls, memory read after a settled GC`);
    const { start, after, peaks, loadMs } = await runBatches(ctx, batchSize, recorder, call(ctx));
    const peakHeapMb = peak.stop();
    const window = await closeSessionWindow(ctx.db, before);
    const end = after[after.length - 1]!;
    const growthMb = end.rssMb - start.rssMb;
    const heapGrowthMb = end.heapMb - start.heapMb;
    const lateSlope = slopeOf(after.slice(Math.floor(BATCHES / 2)).map((r) => r.heapMb));
    const failed = recorder.failed;
    return {
      checks: [
        check('all_operations_succeeded', failed === 0, failed, '0 failed'),
        check('memory_growth_below_50_mb', growthMb < MAX_GROWTH_MB, growthMb, `< ${MAX_GROWTH_MB} MB`),
        check(
          'heap_not_growing',
          lateSlope < MAX_LATE_SLOPE_MB_PER_BATCH,
          lateSlope,
          `< ${MAX_LATE_SLOPE_MB_PER_BATCH} MB per batch over the last half`,
        ),
        ...window.checks,
      ],
      metrics: {
        ...recorder.metrics(loadMs),
        ...readResourceMetrics(ctx.db, peaks),
        ...window.metrics,
        memory_growth_mb: toMetric('memory_growth_mb', growthMb),
        heap_growth_mb: toMetric('heap_growth_mb', heapGrowthMb),
        peak_heap_mb: toMetric('peak_heap_mb', peakHeapMb),
      },
      samples: recorder.samples(),
      params: {
        operations: batchSize * BATCHES,
        batch_size: batchSize,
        ...batchParams(start, after),
      },
    };
  },
};
}
