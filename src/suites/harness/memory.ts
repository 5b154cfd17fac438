/**
 * Process memory readings for the session-leak scenarios: RSS and V8 heap from
 * process.memoryUsage(), VMS from /proc/self/status (Linux only), V8 heap statistics, a forced
 * garbage collection that works without the --expose-gc flag, and a peak-heap sampler.
 */
import { readFileSync } from 'node:fs';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startPeakSampler } from './peak-sampler.js';

const BYTES_PER_MB = 1024 * 1024;

/** Bytes to MB (MiB, 1024 x 1024), as every memory metric of the results document is. */
export function bytesToMb(bytes: number): number {
  return bytes / BYTES_PER_MB;
}

/** One memory reading, in MB. */
export interface MemoryReading {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  /** Virtual memory size (VmSize); undefined where /proc/self/status is unavailable. */
  vmsMb: number | undefined;
}

/** Parses the VmSize line ("VmSize:  1234 kB") of a /proc/<pid>/status text into MB. */
export function parseVmSizeMb(status: string): number | undefined {
  const match = /^VmSize:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) / 1024 : undefined;
}

function readVmsMb(): number | undefined {
  try {
    return parseVmSizeMb(readFileSync('/proc/self/status', 'utf8'));
  } catch {
    return undefined;
  }
}

/** Reads RSS, heap and VMS of this process now. */
export function readMemory(): MemoryReading {
  const usage = process.memoryUsage();
  return {
    rssMb: bytesToMb(usage.rss),
    heapUsedMb: bytesToMb(usage.heapUsed),
    heapTotalMb: bytesToMb(usage.heapTotal),
    externalMb: bytesToMb(usage.external),
    vmsMb: readVmsMb(),
  };
}

/** V8's `gc`; Node >= 18 also takes options, e.g. `{ type: 'major', execution: 'sync' }`. */
export type V8Gc = (options?: { type: 'major' | 'minor'; execution: 'sync' | 'async' }) => void;

let collect: V8Gc | undefined;

/**
 * V8's `gc` function. When the process was not started with --expose-gc, the flag is set at run
 * time and `gc` is taken from a fresh VM context, whose global object is created after the flag
 * and so carries the function.
 */
function resolveGc(): V8Gc {
  const existing = (globalThis as { gc?: unknown }).gc;
  if (typeof existing === 'function') return existing as V8Gc;
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc !== 'function') throw new Error('could not expose V8 gc: --expose-gc had no effect');
  return gc as V8Gc;
}

/** V8's `gc` function, exposed on first use. */
export function v8Gc(): V8Gc {
  collect ??= resolveGc();
  return collect;
}

/**
 * Runs a full, synchronous garbage collection now: a bare `gc()`, a forced one. (The typed
 * `{ type: 'major' }` call hardly collects on Node 20; scripts/probe-warmth.ts measures both.)
 */
export function forceGc(): void {
  v8Gc()();
}

/**
 * Collects garbage, waits a macrotask so FinalizationRegistry callbacks and WeakRef clearing can
 * run, and collects again: use before reading memory or counting leaked objects.
 */
export async function settleGc(rounds = 2): Promise<void> {
  for (let round = 0; round < rounds; round += 1) {
    forceGc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The V8 heap statistics that matter to a leak check, in MB (contexts as counts). */
export interface HeapStats {
  usedHeapMb: number;
  totalHeapMb: number;
  heapSizeLimitMb: number;
  mallocedMb: number;
  externalMb: number;
  nativeContexts: number;
  detachedContexts: number;
}

/** Reads v8.getHeapStatistics(). */
export function heapStats(): HeapStats {
  const stats = getHeapStatistics();
  return {
    usedHeapMb: bytesToMb(stats.used_heap_size),
    totalHeapMb: bytesToMb(stats.total_heap_size),
    heapSizeLimitMb: bytesToMb(stats.heap_size_limit),
    mallocedMb: bytesToMb(stats.malloced_memory),
    externalMb: bytesToMb(stats.external_memory),
    nativeContexts: stats.number_of_native_contexts,
    detachedContexts: stats.number_of_detached_contexts,
  };
}

/** A running peak-heap sampler. */
export interface PeakHeapTracker {
  /** Peak V8 heap used so far (MB). */
  readonly peakMb: number;
  /** Takes a reading now (call it inside tight synchronous work, where ticks cannot fire). */
  sample(): void;
  /** Takes a last reading, stops and returns the peak heap used (MB). */
  stop(): number;
}

/** Samples process.memoryUsage().heapUsed every `everyMs` ms and keeps the peak. */
export function trackPeakHeap(everyMs = 10): PeakHeapTracker {
  const sampler = startPeakSampler(() => ({ heapUsedMb: bytesToMb(process.memoryUsage().heapUsed) }), everyMs);
  return {
    get peakMb() {
      return sampler.peaks.heapUsedMb;
    },
    sample: () => sampler.sample(),
    stop: () => sampler.stop().heapUsedMb,
  };
}
