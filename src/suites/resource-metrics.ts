import type { PoolStats } from '../db/pool-stats.js';
import type { Metric } from '../results/types.js';
import { toMetric } from './harness/latency-metrics.js';
import { readMemory } from './harness/memory.js';
import type { DataLayerUnderTest } from './subject.js';

/**
 * The resource metrics every scenario records at its end: process memory, the pool and the
 * sessions of the data layer it used, and the breaker's transitions.
 */
export function readResourceMetrics(db: DataLayerUnderTest, peaks: { poolInUse?: number; poolWaiting?: number } = {}): Record<string, Metric> {
  const memory = readMemory();
  const pool = db.poolStats();
  const sessions = db.sessions.snapshot();
  const metrics: Record<string, Metric> = {
    rss_mb: toMetric('rss_mb', memory.rssMb),
    heap_used_mb: toMetric('heap_used_mb', memory.heapUsedMb),
    pool_size: toMetric('pool_size', pool.size),
    pool_in_use: toMetric('pool_in_use', pool.inUse),
    pool_waiting: toMetric('pool_waiting', pool.waiting),
    sessions_open: toMetric('sessions_open', sessions.open),
    sessions_peak: toMetric('sessions_peak', sessions.peak),
    breaker_transitions: toMetric('breaker_transitions', db.resilience.snapshot().transitions.length),
  };
  if (memory.vmsMb !== undefined) metrics.vms_mb = toMetric('vms_mb', memory.vmsMb);
  if (peaks.poolInUse !== undefined) metrics.pool_peak_in_use = toMetric('pool_peak_in_use', peaks.poolInUse);
  if (peaks.poolWaiting !== undefined) metrics.pool_peak_waiting = toMetric('pool_peak_waiting', peaks.poolWaiting);
  return metrics;
}

/** Pool readings for the load runner's `onTick` sampler, whose peaks feed readResourceMetrics. */
export function poolReadings(db: DataLayerUnderTest): () => { poolInUse: number; poolWaiting: number } {
  return () => {
    const stats = db.poolStats();
    return { poolInUse: stats.inUse, poolWaiting: stats.waiting };
  };
}

/**
 * Reads the pool until nothing is in use or waiting, for at most `withinMs`: a connection is
 * released a tick after its session ends, while a leaked one stays checked out for good.
 */
export async function waitForPoolIdle(db: DataLayerUnderTest, withinMs = 1000): Promise<PoolStats> {
  const until = performance.now() + withinMs;
  let stats = db.poolStats();
  while ((stats.inUse > 0 || stats.waiting > 0) && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    stats = db.poolStats();
  }
  return stats;
}
