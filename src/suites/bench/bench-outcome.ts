/**
 * Turns what a benchmark measured into a scenario outcome: throughput and latency metrics, the
 * resource metrics every scenario records, the raw samples, and the check every benchmark shares
 * (all its operations succeeded: a benchmark of failing calls measures nothing).
 */
import { percentileOf } from '../../common/statistics.js';
import type { Check, Metric } from '../../results/types.js';
import { toMetric } from '../harness/latency-metrics.js';
import { cpuPerCallMs } from '../harness/cpu-meter.js';
import type { LatencyRecorder } from '../harness/latency-recorder.js';
import { readResourceMetrics } from '../resource-metrics.js';
import { check, timingCheck, type ScenarioContext, type ScenarioOutcome } from '../scenario.js';
import type { DataLayerUnderTest } from '../subject.js';
import type { BenchMeasurement } from './bench-runner.js';
import { rememberReference } from './bench-state.js';

/** The check every benchmark makes: no call failed. Names the first error when one did. */
export function allSucceeded(recorder: LatencyRecorder): Check {
  const examples = Object.values(recorder.errorExamples());
  const first = examples[0] ? ` (first: ${examples[0].name}: ${examples[0].message}${examples[0].at ? ` at ${examples[0].at}` : ''})` : '';
  const measured = `${recorder.failed} of ${recorder.total} failed${first}`;
  return check('all_operations_succeeded', recorder.failed === 0 && recorder.total > 0, measured, '0 failed, at least 1 call');
}

/** The median and mean of a recorder's successful calls; NaN when none succeeded. */
export function callFigures(recorder: LatencyRecorder): { p50Ms: number; avgMs: number } {
  const latency = recorder.latency();
  return { p50Ms: latency?.p50_ms.value ?? NaN, avgMs: latency?.avg_ms.value ?? NaN };
}

/**
 * Metrics of a benchmark: recorder's counts and latencies, benchmark.js ops/sec and rme, the
 * client's CPU per call (over every call, failed ones included, as the CPU was spent on them), resources.
 */
export function benchMetrics(db: DataLayerUnderTest, measured: BenchMeasurement): Record<string, Metric> {
  const cpu = cpuPerCallMs(measured.cpuMs, measured.recorder.total);
  return {
    ...measured.recorder.metrics(),
    ...(cpu === undefined ? {} : { cpu_per_call_ms: toMetric('cpu_per_call_ms', cpu) }),
    ops_per_sec: toMetric('ops_per_sec', measured.opsPerSec),
    rme_percent: toMetric('rme_percent', measured.rmePercent),
    ...readResourceMetrics(db, measured.peaks),
    ...(measured.referenceMs.length > 0 ? { reference_ms: toMetric('reference_ms', percentileOf(measured.referenceMs, 50)) } : {}),
  };
}

/** Adds `per_item_ms` (mean latency of a call / items per call) when any call succeeded. */
export function withPerItem(metrics: Record<string, Metric>, recorder: LatencyRecorder, items: number): Record<string, Metric> {
  const { avgMs } = callFigures(recorder);
  return Number.isFinite(avgMs) ? { ...metrics, per_item_ms: toMetric('per_item_ms', avgMs / items) } : metrics;
}

/**
 * The outcome of a benchmark scenario: shared metrics, the all-succeeded check first, then the
 * scenario's own checks, the samples, and benchmark.js's figures as parameters.
 */
export function benchOutcome(
  ctx: ScenarioContext,
  measured: BenchMeasurement,
  extra: { checks?: Check[]; metrics?: Record<string, Metric>; params?: ScenarioOutcome['params'] } = {},
): ScenarioOutcome {
  return {
    checks: [allSucceeded(measured.recorder), ...(extra.checks ?? [])],
    metrics: { ...benchMetrics(ctx.db, measured), ...extra.metrics },
    samples: measured.recorder.samples(),
    params: { max_seconds: ctx.options.benchmarkMaxSeconds, cycles: measured.cycles, ...extra.params },
  };
}

/** Records a measurement as the reference `key` for later scenarios, and returns its figures. */
export function keepReference(db: DataLayerUnderTest, key: string, recorder: LatencyRecorder): { p50Ms: number; avgMs: number } {
  const figures = callFigures(recorder);
  if (Number.isFinite(figures.p50Ms)) rememberReference(db, key, figures);
  return figures;
}

/**
 * A timing check that a ratio of times measured in this run is at most `limit`; a value that could
 * not be measured (NaN: no call of a side succeeded) fails, recorded as 'not measured'.
 */
export function limitCheck(name: string, value: number, limit: number, what: string, strict = false): Check {
  const expected = `${strict ? '<' : '<='} ${limit} (${what})`;
  if (!Number.isFinite(value)) return timingCheck(name, false, 'not measured', expected);
  return timingCheck(name, strict ? value < limit : value <= limit, value, expected);
}
