import type { MetricName } from '../results/metrics.js';

/** Whether a verdict on a metric fails the gate or only warns. */
export type Severity = 'fail' | 'warn';

/** Relative-comparison defaults of one metric, before thresholds.json speaks. */
export interface MetricDefault {
  /** Compared with the baseline history at all (counts and extremes are not by default). */
  compare: boolean;
  /** A change smaller than this percentage of the baseline is never a regression. */
  tolerancePercent: number;
  /** A change smaller than this, in the metric's unit, is never a regression (0.09 -> 0.11 ms). */
  absoluteFloor: number;
  /** What a relative regression of this metric does when thresholds.json sets no `severity`. */
  regressionSeverity: Severity;
  /** The same in a duet (head against base in one job on one machine), when it differs. */
  duetRegressionSeverity?: Severity;
  /**
   * The same two margins for a duet run (head against base in one run, docs/duet-method.md). Pairing
   * removes the between-run noise the history margins are sized for; what is left for the tolerance
   * to absorb is a persistent difference between the two arms' processes and databases.
   */
  duetTolerancePercent: number;
  duetAbsoluteFloor: number;
}

const off: MetricDefault = {
  compare: false,
  tolerancePercent: 15,
  absoluteFloor: 0,
  regressionSeverity: 'warn',
  duetTolerancePercent: 15,
  duetAbsoluteFloor: 0,
};
/**
 * A latency: the history tolerance, and the duet's (5% for the average, more toward the tails, whose
 * per-round values rest on few calls). The duet floor of 0.01 ms is 1-3% of a local get-by-id, where
 * the history's 0.05 ms would hide a +10% change however tight the interval.
 */
const latency = (tolerancePercent: number, duetTolerancePercent: number, regressionSeverity: Severity = 'warn'): MetricDefault => ({
  compare: true,
  tolerancePercent,
  absoluteFloor: 0.05,
  regressionSeverity,
  duetTolerancePercent,
  duetAbsoluteFloor: 0.01,
});
const memory: MetricDefault = {
  compare: true,
  tolerancePercent: 25,
  absoluteFloor: 5,
  regressionSeverity: 'fail',
  duetTolerancePercent: 25,
  duetAbsoluteFloor: 5,
};

/**
 * The client's CPU per call of a benchmark (user + system time of the worker's JavaScript thread
 * over its timed block, divided by the calls; suites/harness/cpu-meter.ts). Compared like the
 * average latency (in a duet 5% and a floor of 5 us, 1-2% of a local get-by-id's CPU). A regression
 * fails in a duet and only warns against the history, unless thresholds.json sets its `severity`:
 * both arms of a duet run on one machine in one job, while baselines may come from runners with
 * other processors, whose CPU per call differs by more than any tolerance. Measured on the 2-core
 * machine (2026-12-07, docs/validation.md): on get-by-id alone (npm run validate:cpu -- --runs 20,
 * twice, load 1.6-8) A/A flagged 0 of 20 runs both times, and a busy wait of +100 us per call was
 * caught 19 and 14 of 20 times (avg_ms: 6 and 5), +40 us 6 and 2 of 20 (avg_ms: 0 and 0); on the
 * full gate with CPU per call failing (npm run validate:verdict -- --duet --runs 10, twice, load
 * about 2) 0 of 20 A/A runs failed, none of 520 CPU verdicts regressed. An A/A duet of bench.crud
 * and bench.query at load 8 once judged crud.update 31% cheaper in one arm: a heavily shared runner
 * can still raise a false alarm.
 */
const CPU_PER_CALL: MetricDefault = {
  compare: true,
  tolerancePercent: 25,
  absoluteFloor: 0.01,
  regressionSeverity: 'warn',
  duetRegressionSeverity: 'fail',
  duetTolerancePercent: 5,
  duetAbsoluteFloor: 0.005,
};

/**
 * Built-in defaults. Tolerances grow toward the tail because tails move more between runs on a shared
 * runner; the ms floor of 0.05 ms is below 30% of a local get-by-id (about 0.2-0.5 ms) yet above the
 * jitter of sub-0.1 ms operations. Counts, extremes and fault-injection bookkeeping are judged by
 * their absolute checks only, unless thresholds.json asks.
 *
 * One latency per scenario decides a relative regression by default: the average, the statistic the
 * absolute targets of thresholds.json are stated in. The median, the tails, ops/sec (the inverse of the average)
 * and per-item time are compared and reported, but their regressions only warn: judging six views of
 * the same calls multiplies the chances of a false alarm (measured on the full gate, A/A: see the
 * README), and tails are set by a handful of slow samples. Absolute limits on any of them still fail.
 */
export const METRIC_DEFAULTS: Readonly<Record<MetricName, MetricDefault>> = Object.freeze({
  min_ms: off,
  avg_ms: latency(15, 5, 'fail'),
  p50_ms: latency(15, 5),
  p95_ms: latency(25, 10),
  p99_ms: latency(35, 15),
  max_ms: off,
  stddev_ms: off,
  total: off,
  successful: off,
  failed: off,
  error_rate: { compare: true, tolerancePercent: 50, absoluteFloor: 0.01, regressionSeverity: 'fail', duetTolerancePercent: 50, duetAbsoluteFloor: 0.01 },
  ops_per_sec: { compare: true, tolerancePercent: 15, absoluteFloor: 1, regressionSeverity: 'warn', duetTolerancePercent: 5, duetAbsoluteFloor: 1 },
  rme_percent: off,
  per_item_ms: { ...latency(20, 5), duetAbsoluteFloor: 0.001 },
  cpu_per_call_ms: CPU_PER_CALL,
  // The process's memory at the end of a scenario depends on everything that ran before it in the
  // process: a state, not a property of the scenario. Only absolute limits apply unless asked.
  rss_mb: { ...off, absoluteFloor: 5, duetAbsoluteFloor: 5 },
  vms_mb: { ...off, absoluteFloor: 5, duetAbsoluteFloor: 5 },
  heap_used_mb: { ...off, absoluteFloor: 5, duetAbsoluteFloor: 5 },
  memory_growth_mb: memory,
  heap_growth_mb: memory,
  peak_heap_mb: memory,
  pool_size: off,
  pool_in_use: off,
  pool_waiting: off,
  pool_peak_in_use: off,
  pool_peak_waiting: off,
  unique_connections: off,
  sessions_opened: off,
  sessions_closed: off,
  sessions_open: off,
  sessions_leaked: off,
  sessions_peak: off,
  failure_rate: off,
  recovery_rate: off,
  retries: off,
  breaker_transitions: off,
  breaker_open_ms: off,
  timeout_ms: off,
  orphan_queries: off,
  backoff_error_ms: off,
  recovery_ms: off,
  scaling_factor: off,
  commit_overhead_ms: off,
  reference_ms: off,
  overhead_ratio: off,
});

/** Used for a metric a scenario recorded that the catalog does not know: reported, never compared. */
export const UNKNOWN_METRIC_DEFAULT: MetricDefault = off;
