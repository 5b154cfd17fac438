/** A load run of the session scenarios that samples the pool while it runs, and its metrics. */
import type { Metric } from '../../results/types.js';
import type { LatencyRecorder } from '../harness/latency-recorder.js';
import { runLoad, type LoadResult } from '../harness/load-runner.js';
import { poolReadings, readResourceMetrics } from '../resource-metrics.js';
import type { DataLayerUnderTest } from '../subject.js';

/** Runs `operation` under load (recording into `recorder` if given) while sampling the pool's in-use and waiting counts. */
export function runSessionLoad(
  db: DataLayerUnderTest,
  concurrency: number,
  iterations: number,
  operation: () => Promise<unknown>,
  recorder?: LatencyRecorder,
): Promise<LoadResult<'poolInUse' | 'poolWaiting'>> {
  return runLoad({ concurrency, iterations, operation, recorder, onTick: { everyMs: 5, read: poolReadings(db) } });
}

/** The load's throughput and latency metrics with the data layer's resource metrics. */
export function loadMetrics(db: DataLayerUnderTest, load: LoadResult<'poolInUse' | 'poolWaiting'>): Record<string, Metric> {
  return { ...load.metrics, ...readResourceMetrics(db, load.peaks) };
}
