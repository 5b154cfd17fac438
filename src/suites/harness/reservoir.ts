/**
 * A bounded, uniform sample of latencies (Algorithm R, seeded), plus exact running figures over
 * every observation. Percentiles come from the reservoir (an unbiased uniform sample once it is
 * full); min, max, mean and standard deviation are exact over all observations.
 */
import { percentilesOf } from '../../common/statistics.js';
import type { Samples } from '../../results/types.js';
import { type LatencyFigures, type LatencyMetrics, toLatencyMetrics } from './latency-metrics.js';
import { createRandom, type Random } from './random.js';

/** How many values a reservoir keeps unless told otherwise. */
export const DEFAULT_RESERVOIR_CAPACITY = 2_000;

/** Settings of a reservoir. */
export interface ReservoirOptions {
  /** Most values kept (default 2,000). */
  capacity?: number;
  /** Source of the replacement choices; pass the run's generator so the sample is reproducible. */
  random?: Random;
  /** Seed for a generator of its own when `random` is not given (default 1). */
  seed?: number;
}

/**
 * Exact running figures. The variance uses Welford's update (a running mean and sum of squared
 * deviations) rather than sum and sum of squares, which loses precision when latencies are large
 * and close together.
 */
class RunningFigures {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  private mean = 0;
  private squaredDeviations = 0;

  add(value: number): void {
    this.count += 1;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.squaredDeviations += delta * (value - this.mean);
  }

  /** Sample standard deviation (n - 1); 0 below two values. */
  stddev(): number {
    return this.count < 2 ? 0 : Math.sqrt(this.squaredDeviations / (this.count - 1));
  }
}

/** A seeded uniform reservoir of latencies (ms) with exact running min/max/mean/stddev. */
export class LatencyReservoir {
  readonly capacity: number;
  private readonly random: Random;
  private readonly kept: number[] = [];
  private readonly running = new RunningFigures();

  constructor(options: ReservoirOptions = {}) {
    const capacity = options.capacity ?? DEFAULT_RESERVOIR_CAPACITY;
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`reservoir capacity must be a whole number of at least 1, got ${capacity}`);
    }
    this.capacity = capacity;
    this.random = options.random ?? createRandom(options.seed ?? 1);
  }

  /** How many values were added in all. */
  get observed(): number {
    return this.running.count;
  }

  /** The values kept (at most `capacity`), in no particular order. A copy. */
  get values(): number[] {
    return [...this.kept];
  }

  /** Exact sum of every observed value. */
  get sum(): number {
    return this.running.sum;
  }

  /** Adds one observation; once full, it replaces a kept value with probability capacity / observed. */
  add(value: number): void {
    if (!Number.isFinite(value)) throw new RangeError(`reservoir values must be finite numbers, got ${value}`);
    this.running.add(value);
    if (this.kept.length < this.capacity) {
      this.kept.push(value);
      return;
    }
    const slot = this.random.int(0, this.running.count - 1);
    if (slot < this.capacity) this.kept[slot] = value;
  }

  /**
   * Latency figures: min, max, avg and stddev exact over all observations, percentiles from the
   * reservoir. Undefined when nothing was observed.
   */
  figures(): LatencyFigures | undefined {
    if (this.running.count === 0) return undefined;
    return {
      min: this.running.min,
      avg: this.running.sum / this.running.count,
      ...percentilesOf(this.kept),
      max: this.running.max,
      stddev: this.running.stddev(),
    };
  }

  /** The latency metrics (see {@link figures}); undefined when nothing was observed. */
  summarize(): LatencyMetrics | undefined {
    const figures = this.figures();
    return figures && toLatencyMetrics(figures);
  }

  /**
   * The kept values as the results document's `Samples`, rounded to the microsecond
   * (`decimals`, default 3) so documents stay small.
   */
  toSamples(decimals = 3): Samples {
    const scale = 10 ** decimals;
    return {
      unit: 'ms',
      observed: this.running.count,
      values: this.kept.map((v) => Math.round(v * scale) / scale),
    };
  }
}
