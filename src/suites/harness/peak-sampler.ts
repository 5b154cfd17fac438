/**
 * Samples numeric readings on an interval and keeps the largest value of each, e.g. a pool's
 * in-use and waiting counts while load runs, or the V8 heap while a scenario allocates.
 * Interval ticks only fire when the event loop is free, so a reading is also taken at start,
 * at stop, and whenever `sample()` is called.
 */

/** Numeric readings by name, e.g. `{ inUse: 3, waiting: 0 }`. */
export type Readings<K extends string> = Readonly<Record<K, number>>;

/** A running sampler. */
export interface PeakSampler<K extends string> {
  /** The largest reading of each name so far. */
  readonly peaks: Readings<K>;
  /** How many times the readings were taken. */
  readonly count: number;
  /** Takes a reading now. */
  sample(): void;
  /** Takes a last reading, stops the timer and returns the peaks. Idempotent. */
  stop(): Readings<K>;
}

/**
 * Starts reading `read()` every `everyMs` ms (the timer is unref'd, so it never keeps the process
 * alive). A reading that throws is skipped: sampling must not break the run it observes.
 */
export function startPeakSampler<K extends string>(read: () => Readings<K>, everyMs: number): PeakSampler<K> {
  if (!(everyMs > 0)) throw new RangeError(`sampler interval must be a positive number of ms, got ${everyMs}`);
  const peaks: Partial<Record<K, number>> = {};
  let count = 0;
  let stopped = false;
  const sample = (): void => {
    if (stopped) return;
    let readings: Readings<K>;
    try {
      readings = read();
    } catch {
      return;
    }
    count += 1;
    for (const key of Object.keys(readings) as K[]) {
      const value = readings[key];
      const peak = peaks[key];
      if (peak === undefined || value > peak) peaks[key] = value;
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    get peaks() {
      return { ...peaks } as Readings<K>;
    },
    get count() {
      return count;
    },
    sample,
    stop() {
      sample();
      stopped = true;
      clearInterval(timer);
      return { ...peaks } as Readings<K>;
    },
  };
}

/**
 * Runs `work` while sampling `read()` every `everyMs` ms, and returns its value with the peak of
 * each reading. The sampler stops even if `work` rejects.
 */
export async function sampleWhile<T, K extends string>(
  work: () => Promise<T>,
  read: () => Readings<K>,
  everyMs: number,
): Promise<{ value: T; peaks: Readings<K> }> {
  const sampler = startPeakSampler(read, everyMs);
  try {
    const value = await work();
    return { value, peaks: sampler.stop() };
  } finally {
    sampler.stop();
  }
}
