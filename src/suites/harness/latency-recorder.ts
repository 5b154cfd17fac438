/**
 * Times operations and counts what happened to them: successes go into a latency reservoir,
 * failures (the operation threw or rejected) are counted per error key (see error-info.ts).
 * Latency figures describe successful operations only; a failure's latency is not mixed in.
 */
import type { ErrorInfo, Metric, Samples } from '../../results/types.js';
import { errorKey, toErrorInfo } from './error-info.js';
import { type LatencyMetrics, toMetric } from './latency-metrics.js';
import { LatencyReservoir, type ReservoirOptions } from './reservoir.js';

/** A monotonic clock in milliseconds (fractional). */
export type Clock = () => number;

/** The default clock: process.hrtime.bigint() in ms, monotonic and sub-microsecond. */
export const hrClock: Clock = () => Number(process.hrtime.bigint()) / 1e6;

/** What one measured operation did. */
export type Outcome<T> = { kind: 'ok'; value: T; ms: number } | { kind: 'error'; error: unknown; ms: number };

/** Settings of a recorder: the reservoir's, plus the clock (tests pass a fake one). */
export interface RecorderOptions extends ReservoirOptions {
  now?: Clock;
}

/** The throughput metric names a recorder always reports. */
export const THROUGHPUT_METRIC_NAMES = ['total', 'successful', 'failed', 'error_rate', 'ops_per_sec'] as const;
export type ThroughputMetricName = (typeof THROUGHPUT_METRIC_NAMES)[number];

/** Throughput metrics always; latency metrics when at least one operation succeeded. */
export type RecorderMetrics = Record<ThroughputMetricName, Metric> & Partial<LatencyMetrics>;

/** Counts failures per key, remembering the first error of each key as an example. */
interface FailureTally {
  count: number;
  example: ErrorInfo;
}

/** Records the latency and outcome of operations. */
export class LatencyRecorder {
  private readonly reservoir: LatencyReservoir;
  private readonly now: Clock;
  private readonly failures = new Map<string, FailureTally>();
  private failedCount = 0;
  private firstStart: number | undefined;
  private lastEnd: number | undefined;

  constructor(options: RecorderOptions = {}) {
    this.reservoir = new LatencyReservoir(options);
    this.now = options.now ?? hrClock;
  }

  /** Operations recorded, successful or not. */
  get total(): number {
    return this.reservoir.observed + this.failedCount;
  }

  get successful(): number {
    return this.reservoir.observed;
  }

  get failed(): number {
    return this.failedCount;
  }

  /** failed / total, 0 when nothing was recorded. */
  get errorRate(): number {
    return this.total === 0 ? 0 : this.failedCount / this.total;
  }

  /**
   * Runs `operation`, timing it, and records the outcome. Never throws: a failure is returned
   * as `{ kind: 'error' }` and counted.
   */
  async measure<T>(operation: () => Promise<T> | T): Promise<Outcome<T>> {
    const start = this.now();
    this.firstStart ??= start;
    try {
      const value = await operation();
      const ms = this.markEnd(start);
      this.recordSuccess(ms);
      return { kind: 'ok', value, ms };
    } catch (error) {
      const ms = this.markEnd(start);
      this.recordFailure(error);
      return { kind: 'error', error, ms };
    }
  }

  /** Records a success timed elsewhere (ms). */
  recordSuccess(ms: number): void {
    this.reservoir.add(ms);
  }

  /** Records a failure timed elsewhere, counted under {@link errorKey}. */
  recordFailure(error: unknown): void {
    this.failedCount += 1;
    const key = errorKey(error);
    const tally = this.failures.get(key);
    if (tally) tally.count += 1;
    else this.failures.set(key, { count: 1, example: toErrorInfo(error) });
  }

  /** Failures per error key, e.g. `{ ECONNRESET: 3, '40001': 12 }`. */
  errorCounts(): Record<string, number> {
    return Object.fromEntries([...this.failures].map(([key, tally]) => [key, tally.count]));
  }

  /** The first error seen under each key. */
  errorExamples(): Record<string, ErrorInfo> {
    return Object.fromEntries([...this.failures].map(([key, tally]) => [key, tally.example]));
  }

  /** Wall time from the start of the first measured operation to the end of the last one (ms). */
  elapsedMs(): number {
    return this.firstStart === undefined || this.lastEnd === undefined ? 0 : this.lastEnd - this.firstStart;
  }

  /** Latency metrics of the successful operations; undefined when none succeeded. */
  latency(): LatencyMetrics | undefined {
    return this.reservoir.summarize();
  }

  /** The kept latency samples of successful operations. */
  samples(): Samples {
    return this.reservoir.toSamples();
  }

  /**
   * Throughput and latency metrics. `ops_per_sec` is successful operations per second of
   * `elapsedMs` (default: the measured window, see {@link elapsedMs}); 0 when no time passed.
   */
  metrics(elapsedMs = this.elapsedMs()): RecorderMetrics {
    const opsPerSec = elapsedMs > 0 ? this.successful / (elapsedMs / 1000) : 0;
    return {
      total: toMetric('total', this.total),
      successful: toMetric('successful', this.successful),
      failed: toMetric('failed', this.failed),
      error_rate: toMetric('error_rate', this.errorRate),
      ops_per_sec: toMetric('ops_per_sec', opsPerSec),
      ...this.latency(),
    };
  }

  private markEnd(start: number): number {
    const end = this.now();
    this.lastEnd = this.lastEnd === undefined ? end : Math.max(this.lastEnd, end);
    return end - start;
  }
}
