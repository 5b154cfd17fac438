/**
 * The tracemalloc analogue: runs a function under V8's sampling heap profiler (through the
 * inspector, node:inspector/promises, Node >= 19) and names the top allocation sites.
 *
 * By default the profile holds the sampled allocations still alive when sampling stops (like a
 * tracemalloc snapshot): a leak shows up, garbage that was already collected does not. With
 * `includeCollected` V8 is asked to keep collected samples too (honoured by the V8 of Node 20
 * and later; an older V8 ignores it), which shows allocation churn instead.
 */
import { Session } from 'node:inspector/promises';
import type { HeapProfiler } from 'node:inspector';

/** Where sampled bytes were allocated, aggregated over the whole call tree. */
export interface AllocationSite {
  /** Function name; `(anonymous)` for an unnamed function, V8's own names like `(V8 API)` kept. */
  functionName: string;
  /** Script URL (`file:///...` or `node:...`), empty for V8-internal frames. */
  url: string;
  /** 1-based line, 0 when unknown. */
  line: number;
  /** `url:line`, or the function name when there is no URL. */
  location: string;
  /** Sampled bytes allocated directly in this function at this line (children excluded). */
  selfBytes: number;
}

/** Settings of one profile. */
export interface HeapProfileOptions {
  /** Average bytes between samples (default 8 KiB; V8's own default is 32 KiB). */
  samplingIntervalBytes?: number;
  /** How many sites to return, largest first (default 10). */
  top?: number;
  /** Keep samples of objects the GC already collected (allocation churn, not live memory). */
  includeCollected?: boolean;
}

/** The result of `fn` and the allocation sites seen while it ran. */
export interface HeapProfileResult<T> {
  value: T;
  sites: AllocationSite[];
  /** Sampled bytes in the whole profile. */
  totalBytes: number;
}

let profiling = false;

function siteOf(node: HeapProfiler.SamplingHeapProfileNode): Omit<AllocationSite, 'selfBytes'> {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  const line = lineNumber >= 0 ? lineNumber + 1 : 0;
  return { functionName: name, url, line, location: url ? `${url}:${line}` : name };
}

/** Sums self sizes of a sampling heap profile per function and line, largest first. */
export function aggregateAllocationSites(profile: HeapProfiler.SamplingHeapProfile): AllocationSite[] {
  const sites = new Map<string, AllocationSite>();
  const pending = [profile.head];
  for (let node = pending.pop(); node; node = pending.pop()) {
    pending.push(...node.children);
    if (node.selfSize === 0) continue;
    const site = siteOf(node);
    const key = `${site.functionName}\u0000${site.location}`;
    const known = sites.get(key);
    if (known) known.selfBytes += node.selfSize;
    else sites.set(key, { ...site, selfBytes: node.selfSize });
  }
  return [...sites.values()].sort((a, b) => b.selfBytes - a.selfBytes);
}

async function startSampling(session: Session, options: HeapProfileOptions): Promise<void> {
  await session.post('HeapProfiler.enable');
  const collected = options.includeCollected ?? false;
  // The collected-objects flags are newer than @types/node's protocol definitions.
  const params: HeapProfiler.StartSamplingParameterType & Record<string, unknown> = {
    samplingInterval: options.samplingIntervalBytes ?? 8192,
    includeObjectsCollectedByMajorGC: collected,
    includeObjectsCollectedByMinorGC: collected,
  };
  await session.post('HeapProfiler.startSampling', params);
}

/** Stops sampling and detaches, even after a failure; returns the profile if there is one. */
async function stopSampling(session: Session): Promise<HeapProfiler.SamplingHeapProfile | undefined> {
  try {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    return profile;
  } catch {
    return undefined;
  } finally {
    await session.post('HeapProfiler.disable').catch(() => undefined);
    session.disconnect();
  }
}

/** Starts sampling and runs `fn`, capturing rather than throwing so sampling is always stopped. */
async function runSampled<T>(
  session: Session,
  fn: () => Promise<T> | T,
  options: HeapProfileOptions,
): Promise<{ kind: 'ok'; value: T } | { kind: 'error'; error: unknown }> {
  try {
    await startSampling(session, options);
    return { kind: 'ok', value: await fn() };
  } catch (error) {
    return { kind: 'error', error };
  }
}

/**
 * Runs `fn` under the sampling heap profiler and returns its value with the top allocation sites.
 * The profiler is stopped and the session closed whether `fn` succeeds or throws (the error is
 * rethrown). Only one profile may run at a time in a process.
 */
export async function profileHeap<T>(
  fn: () => Promise<T> | T,
  options: HeapProfileOptions = {},
): Promise<HeapProfileResult<T>> {
  if (profiling) throw new Error('profileHeap is already running in this process; profiles cannot nest');
  profiling = true;
  const session = new Session();
  try {
    session.connect();
    const outcome = await runSampled(session, fn, options);
    const profile = await stopSampling(session);
    if (outcome.kind === 'error') throw outcome.error;
    if (!profile) throw new Error('the heap profiler returned no profile');
    const all = aggregateAllocationSites(profile);
    const totalBytes = all.reduce((sum, site) => sum + site.selfBytes, 0);
    return { value: outcome.value, sites: all.slice(0, options.top ?? 10), totalBytes };
  } finally {
    profiling = false;
  }
}
