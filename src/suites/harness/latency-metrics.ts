/**
 * Latency samples (ms) and other figures as the metrics of a results document: each named metric
 * with the unit and direction results/metrics.ts gives it. The numbers come from
 * common/statistics.ts.
 */
import { maxOf, meanOf, minOf, percentilesOf, stddevOf } from '../../common/statistics.js';
import { METRICS, type MetricName } from '../../results/metrics.js';
import type { Metric } from '../../results/types.js';

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
