/**
 * Runs an operation under concurrent load: `concurrency` async workers each call it up to
 * `iterations` times, until a deadline passes or a signal aborts. Every call is timed and
 * recorded; a failing call is counted, never allowed to crash the run.
 */
import type { Samples } from '../../results/types.js';
import { hrClock, LatencyRecorder, type Clock, type RecorderMetrics } from './latency-recorder.js';
import { startPeakSampler, type PeakSampler, type Readings } from './peak-sampler.js';

/** What an operation is told about the call it is making. */
export interface LoadContext {
  /** Worker number, 0-based. */
  worker: number;
  /** Iteration of this worker, 0-based. */
  iteration: number;
  /** Aborted when the deadline passes or the caller's signal aborts; pass it on to cancel work. */
  signal: AbortSignal;
}

/** A sampler run alongside the load, e.g. `{ everyMs: 5, read: () => ({ inUse: pool.inUse }) }`. */
export interface TickSampler<K extends string> {
  everyMs: number;
  read: () => Readings<K>;
}

/** Settings of one load run. */
export interface LoadOptions<K extends string = never> {
  /** Number of workers running at once (at least 1). */
  concurrency: number;
  /** Calls per worker; may be omitted (unbounded) when `deadlineMs` or `signal` bounds the run. */
  iterations?: number;
  /** The operation to time; a rejection is recorded as a failure. */
  operation: (context: LoadContext) => Promise<unknown>;
  /** Where calls are recorded (default: a fresh recorder). */
  recorder?: LatencyRecorder;
  /** Stops starting new calls when aborted; calls in flight are awaited. */
  signal?: AbortSignal;
  /** Stops starting new calls this many ms after the start; calls in flight are awaited. */
  deadlineMs?: number;
  /** Samples readings while the load runs and reports their peaks. */
  onTick?: TickSampler<K>;
  /** Clock for the deadline and wall time (default: hrtime). */
  now?: Clock;
}

/** Why the run stopped starting new calls. */
export type StopReason = 'completed' | 'deadline' | 'aborted';

/** What a load run measured. */
export interface LoadResult<K extends string = never> {
  /** Throughput and latency; `ops_per_sec` is successful calls per second of the run's wall time. */
  metrics: RecorderMetrics;
  samples: Samples;
  /** Failures per error key (see error-info.ts). */
  errors: Record<string, number>;
  /** Peak of each `onTick` reading (empty without `onTick`). */
  peaks: Partial<Readings<K>>;
  wallMs: number;
  stoppedBy: StopReason;
  recorder: LatencyRecorder;
}

function validateLoadOptions<K extends string>(options: LoadOptions<K>): number {
  const { concurrency, iterations, deadlineMs, signal } = options;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`'concurrency' must be a whole number of at least 1, got ${concurrency}`);
  }
  if (iterations !== undefined && (!Number.isSafeInteger(iterations) || iterations < 0)) {
    throw new RangeError(`'iterations' must be a whole number of at least 0, got ${iterations}`);
  }
  if (deadlineMs !== undefined && !(deadlineMs >= 0)) {
    throw new RangeError(`'deadlineMs' must be a number of ms of at least 0, got ${deadlineMs}`);
  }
  if (iterations === undefined && deadlineMs === undefined && signal === undefined) {
    throw new RangeError("runLoad needs 'iterations', 'deadlineMs' or 'signal' to know when to stop");
  }
  return iterations ?? Infinity;
}

/** Links the caller's signal and the deadline into one signal handed to operations. */
function createStopSignal(signal: AbortSignal | undefined, deadlineMs: number | undefined) {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const timer = deadlineMs === undefined ? undefined : setTimeout(() => controller.abort('deadline'), deadlineMs);
  const dispose = (): void => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  };
  return { signal: controller.signal, dispose };
}

/**
 * Runs the load and returns the recorder's metrics. Workers check the stop signal and the clock
 * before each call, so an operation that never yields to the event loop still honours the deadline.
 */
export async function runLoad<K extends string = never>(options: LoadOptions<K>): Promise<LoadResult<K>> {
  const iterations = validateLoadOptions(options);
  const { concurrency, operation, deadlineMs, onTick } = options;
  const now = options.now ?? hrClock;
  const recorder = options.recorder ?? new LatencyRecorder();
  const stop = createStopSignal(options.signal, deadlineMs);
  const sampler: PeakSampler<K> | undefined = onTick && startPeakSampler(onTick.read, onTick.everyMs);
  const start = now();
  const deadlineAt = deadlineMs === undefined ? Infinity : start + deadlineMs;
  let deadlinePassed = false;
  const shouldStop = (): boolean => {
    if (now() >= deadlineAt) deadlinePassed = true;
    return deadlinePassed || stop.signal.aborted;
  };
  const runWorker = async (worker: number): Promise<void> => {
    for (let iteration = 0; iteration < iterations && !shouldStop(); iteration += 1) {
      await recorder.measure(() => operation({ worker, iteration, signal: stop.signal }));
    }
  };
  let peaks: Partial<Readings<K>>;
  try {
    await Promise.all(Array.from({ length: concurrency }, (_, worker) => runWorker(worker)));
  } finally {
    stop.dispose();
    peaks = sampler?.stop() ?? {};
  }
  const wallMs = now() - start;
  const stoppedBy = stopReason(options.signal, deadlinePassed || stop.signal.aborted);
  return {
    metrics: recorder.metrics(wallMs),
    samples: recorder.samples(),
    errors: recorder.errorCounts(),
    peaks,
    wallMs,
    stoppedBy,
    recorder,
  };
}

function stopReason(signal: AbortSignal | undefined, stoppedEarly: boolean): StopReason {
  if (signal?.aborted) return 'aborted';
  return stoppedEarly ? 'deadline' : 'completed';
}
