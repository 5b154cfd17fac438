/**
 * Pure statistics over latency samples (milliseconds). No clock, no I/O: everything is an
 * argument, so every function is tested on exact numbers.
 *
 * Conventions:
 * - The standard deviation is the *sample* standard deviation (divides by n - 1); it is 0 for a
 *   single value.
 * - Percentiles interpolate linearly between the closest ranks (numpy's default, "type 7"):
 *   rank = p / 100 * (n - 1); the result lies between the sorted values at floor(rank) and
 *   ceil(rank). So for [1, 2, 3, 4], p75 = 3.25 and p50 = 2.5.
 * - Every function throws a RangeError on an empty input rather than returning NaN.
 */
import type { Metric } from '../../results/types.js';
import { METRICS, type MetricName } from '../../results/metrics.js';

/** The latency metric names a summary produces, in display order. */
export const LATENCY_METRIC_NAMES = ['min_ms', 'avg_ms', 'p50_ms', 'p95_ms', 'p99_ms', 'max_ms', 'stddev_ms'] as const;

export type LatencyMetricName = (typeof LATENCY_METRIC_NAMES)[number];

/** The latency metrics of one scenario, each with unit and direction from metrics.ts. */
export type LatencyMetrics = Record<LatencyMetricName, Metric>;

/** The plain numbers behind {@link LatencyMetrics}. */
export interface LatencyFigures {
  min: number;
  avg: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  stddev: number;
}

function assertNotEmpty(values: readonly number[], what: string): void {
  if (values.length === 0) throw new RangeError(`${what} needs at least one value, got []`);
}

/** The smallest value. */
export function minOf(values: readonly number[]): number {
  assertNotEmpty(values, 'minOf');
  let min = Infinity;
  for (const v of values) if (v < min) min = v;
  return min;
}

/** The largest value. */
export function maxOf(values: readonly number[]): number {
  assertNotEmpty(values, 'maxOf');
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** The arithmetic mean. */
export function meanOf(values: readonly number[]): number {
  assertNotEmpty(values, 'meanOf');
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** The sample standard deviation (n - 1 in the denominator); 0 for a single value. */
export function stddevOf(values: readonly number[]): number {
  const mean = meanOf(values);
  if (values.length < 2) return 0;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}

/** A sorted copy (ascending, numeric). */
export function sortAscending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/**
 * The `p`-th percentile (0..100) of values that are already sorted ascending, interpolating
 * linearly between the closest ranks (see the file comment).
 */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  assertNotEmpty(sorted, 'percentile');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile p must be from 0 to 100, got ${p}`);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (rank - lower);
}

/** The `p`-th percentile (0..100) of unsorted values; see {@link percentileOfSorted}. */
export function percentileOf(values: readonly number[], p: number): number {
  return percentileOfSorted(sortAscending(values), p);
}

/** Median, 95th and 99th percentiles in one sort. */
export function percentilesOf(values: readonly number[]): { p50: number; p95: number; p99: number } {
  const sorted = sortAscending(values);
  return {
    p50: percentileOfSorted(sorted, 50),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
  };
}

/** Wraps a number as the metric `name`, with the unit and direction metrics.ts gives it. */
export function toMetric(name: MetricName, value: number): Metric {
  const { unit, direction } = METRICS[name];
  return { value, unit, direction };
}

/** Turns latency figures into the named latency metrics. */
export function toLatencyMetrics(figures: LatencyFigures): LatencyMetrics {
  return {
    min_ms: toMetric('min_ms', figures.min),
    avg_ms: toMetric('avg_ms', figures.avg),
    p50_ms: toMetric('p50_ms', figures.p50),
    p95_ms: toMetric('p95_ms', figures.p95),
    p99_ms: toMetric('p99_ms', figures.p99),
    max_ms: toMetric('max_ms', figures.max),
    stddev_ms: toMetric('stddev_ms', figures.stddev),
  };
}

/** All latency figures of a non-empty list of samples (ms). */
export function computeLatencyFigures(samples: readonly number[]): LatencyFigures {
  return {
    min: minOf(samples),
    avg: meanOf(samples),
    ...percentilesOf(samples),
    max: maxOf(samples),
    stddev: stddevOf(samples),
  };
}

/**
 * Summarises latency samples (ms) as `min_ms, avg_ms, p50_ms, p95_ms, p99_ms, max_ms, stddev_ms`.
 * Throws a RangeError on an empty list: a scenario with no successful operation has no latency.
 */
export function summarizeLatencies(samples: readonly number[]): LatencyMetrics {
  return toLatencyMetrics(computeLatencyFigures(samples));
}
