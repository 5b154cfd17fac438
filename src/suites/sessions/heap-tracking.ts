import { profileHeap, type AllocationSite } from '../harness/heap-profiler.js';
import { toMetric } from '../harness/latency-metrics.js';
import { readMemory, settleGc, trackPeakHeap } from '../harness/memory.js';
import { check, type ScenarioContext, type ScenarioDefinition } from '../scenario.js';
import { closeSessionWindow, openSessionWindow } from './session-checks.js';
import { loadMetrics, runSessionLoad } from './session-workload.js';

const OPERATIONS = 300;
const CONCURRENCY = 5;
const TOP = 10;
const MAX_PEAK_HEAP_MB = 100;

/** "fn (file:line) N KB; ..." with file names only, to keep the results document small. */
function describeSites(sites: readonly AllocationSite[]): string {
  return sites
    .map((site) => {
      const file = site.url ? `${site.url.split('/').pop()}:${site.line}` : 'native';
      return `${site.functionName} (${file}) ${Math.round(site.selfBytes / 1024)} KB`;
    })
    .join('; ');
}

/**
 * sessions.heap_tracking (the tracemalloc analogue; a perf file's sessions.<id>.heap_tracking): 300
 * calls of the operation (scaled)
 * under V8's sampling heap profiler, keeping collected samples too so the top 10 allocation
 * sites show where the workload allocates, while the V8 heap is sampled every 5 ms for its peak.
 * Criteria: peak heap used < 100 MB (the whole process's heap, stricter than tracemalloc's
 * traced allocations); the profiler named allocation sites; no session open, opened == closed,
 * none leaked, pool 0 in use.
 */
export function heapTrackingScenario(id: string, call: (ctx: ScenarioContext) => () => Promise<unknown>): ScenarioDefinition {
  return {
  id,
  category: 'sessions',
  params: { operations: OPERATIONS, concurrency: CONCURRENCY, top: TOP },
  async run(ctx) {
    const iterations = ctx.scaled(OPERATIONS / CONCURRENCY, 2);
    const before = openSessionWindow(ctx.db);
    await settleGc();
    const baselineMb = readMemory().heapUsedMb;
    const peak = trackPeakHeap(5);
    const profile = await profileHeap(() => runSessionLoad(ctx.db, CONCURRENCY, iterations, call(ctx)), {
      top: TOP,
      includeCollected: true,
    });
    const peakMb = peak.stop();
    const load = profile.value;
    const window = await closeSessionWindow(ctx.db, before);
    const failed = load.metrics.failed.value;
    return {
      checks: [
        check('all_operations_succeeded', failed === 0, failed, '0 failed'),
        check('peak_heap_below_100_mb', peakMb < MAX_PEAK_HEAP_MB, peakMb, `< ${MAX_PEAK_HEAP_MB} MB`),
        check('allocation_sites_named', profile.sites.length > 0, profile.sites.length, '>= 1'),
        ...window.checks,
      ],
      metrics: { ...loadMetrics(ctx.db, load), ...window.metrics, peak_heap_mb: toMetric('peak_heap_mb', peakMb) },
      samples: load.samples,
      params: {
        operations: iterations * CONCURRENCY,
        traced_peak_mb: Number((peakMb - baselineMb).toFixed(2)),
        sampled_allocations_mb: Number((profile.totalBytes / 1024 / 1024).toFixed(2)),
        top_sites: describeSites(profile.sites),
      },
    };
  },
};
}
