import type { Direction, Unit } from './types.js';

/** What a metric name means: its unit and which way is better. */
export interface MetricDefinition {
  unit: Unit;
  direction: Direction;
  description: string;
}

/**
 * Every metric a scenario may record. thresholds.json may only name these, so a typo cannot
 * silently disable a check.
 */
export const METRICS = {
  min_ms: { unit: 'ms', direction: 'lower', description: 'fastest operation' },
  avg_ms: { unit: 'ms', direction: 'lower', description: 'mean operation latency' },
  p50_ms: { unit: 'ms', direction: 'lower', description: 'median operation latency' },
  p95_ms: { unit: 'ms', direction: 'lower', description: '95th percentile latency' },
  p99_ms: { unit: 'ms', direction: 'lower', description: '99th percentile latency' },
  max_ms: { unit: 'ms', direction: 'lower', description: 'slowest operation' },
  stddev_ms: { unit: 'ms', direction: 'lower', description: 'standard deviation of latency' },
  total: { unit: 'count', direction: 'higher', description: 'operations attempted' },
  successful: { unit: 'count', direction: 'higher', description: 'operations that succeeded' },
  failed: { unit: 'count', direction: 'lower', description: 'operations that failed' },
  error_rate: { unit: 'ratio', direction: 'lower', description: 'failed / total' },
  ops_per_sec: { unit: 'ops/s', direction: 'higher', description: 'throughput' },
  rme_percent: { unit: 'percent', direction: 'lower', description: 'relative margin of error of ops/sec' },
  per_item_ms: { unit: 'ms', direction: 'lower', description: 'latency per row or item of a batch' },
  cpu_per_call_ms: { unit: 'ms', direction: 'lower', description: 'client CPU time (user + system) per call of a benchmark: its JavaScript thread, else the process' },
  rss_mb: { unit: 'MB', direction: 'lower', description: 'resident set size after the scenario' },
  vms_mb: { unit: 'MB', direction: 'lower', description: 'virtual memory size after the scenario' },
  heap_used_mb: { unit: 'MB', direction: 'lower', description: 'V8 heap used after the scenario' },
  memory_growth_mb: { unit: 'MB', direction: 'lower', description: 'RSS growth over the scenario' },
  heap_growth_mb: { unit: 'MB', direction: 'lower', description: 'V8 heap growth after forced GC' },
  peak_heap_mb: { unit: 'MB', direction: 'lower', description: 'peak V8 heap used during the scenario' },
  pool_size: { unit: 'count', direction: 'lower', description: 'connections in the pool at the end' },
  pool_in_use: { unit: 'count', direction: 'lower', description: 'connections in use at the end' },
  pool_waiting: { unit: 'count', direction: 'lower', description: 'acquires waiting at the end' },
  pool_peak_in_use: { unit: 'count', direction: 'lower', description: 'most connections in use at once' },
  pool_peak_waiting: { unit: 'count', direction: 'lower', description: 'most acquires waiting at once' },
  unique_connections: { unit: 'count', direction: 'lower', description: 'distinct backend pids used' },
  sessions_opened: { unit: 'count', direction: 'higher', description: 'sessions opened' },
  sessions_closed: { unit: 'count', direction: 'higher', description: 'sessions closed' },
  sessions_open: { unit: 'count', direction: 'lower', description: 'sessions still open at the end' },
  sessions_leaked: { unit: 'count', direction: 'lower', description: 'sessions collected without being closed' },
  sessions_peak: { unit: 'count', direction: 'lower', description: 'most sessions open at once' },
  failure_rate: { unit: 'ratio', direction: 'lower', description: 'injected failures / attempts' },
  recovery_rate: { unit: 'ratio', direction: 'higher', description: 'operations that succeeded after a failure' },
  retries: { unit: 'count', direction: 'lower', description: 'retry attempts made' },
  breaker_transitions: { unit: 'count', direction: 'lower', description: 'circuit breaker state changes' },
  breaker_open_ms: { unit: 'ms', direction: 'lower', description: 'time the breaker stayed open' },
  timeout_ms: { unit: 'ms', direction: 'lower', description: 'time until a timed-out operation returned' },
  orphan_queries: { unit: 'count', direction: 'lower', description: 'queries left running on the server' },
  backoff_error_ms: { unit: 'ms', direction: 'lower', description: 'largest deviation of a measured backoff delay' },
  recovery_ms: { unit: 'ms', direction: 'lower', description: 'time until the system recovered' },
  scaling_factor: { unit: 'ratio', direction: 'lower', description: 'latency at the highest concurrency / at 1' },
  commit_overhead_ms: { unit: 'ms', direction: 'lower', description: 'fixed cost of a transaction (begin, commit, session)' },
  reference_ms: {
    unit: 'ms',
    direction: 'lower',
    description: 'raw pg get-by-id p50 timed right before and after the scenario (its machine-speed reference)',
  },
  overhead_ratio: { unit: 'ratio', direction: 'lower', description: 'repository latency / raw pg latency' },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof METRICS;

export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(METRICS, name);
}
