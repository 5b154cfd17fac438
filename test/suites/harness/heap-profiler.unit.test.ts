import type { HeapProfiler } from 'node:inspector';
import { describe, expect, it } from 'vitest';
import { aggregateAllocationSites, profileHeap, type AllocationSite } from '../../../src/suites/harness/heap-profiler.js';
import { forceGc } from '../../../src/suites/harness/memory.js';

/** Allocates a few MB of small objects and returns them, so they are alive when sampling stops. */
function allocateManyRecords(): Array<{ id: number; name: string }> {
  const records: Array<{ id: number; name: string }> = [];
  for (let id = 0; id < 100_000; id += 1) records.push({ id, name: `user-${id}` });
  return records;
}

const node = (
  functionName: string,
  url: string,
  lineNumber: number,
  selfSize: number,
  children: HeapProfiler.SamplingHeapProfileNode[] = [],
): HeapProfiler.SamplingHeapProfileNode => ({
  callFrame: { functionName, url, lineNumber, columnNumber: 0, scriptId: '1' },
  selfSize,
  children,
});

describe('aggregateAllocationSites', () => {
  it('sums self sizes per function and line across the tree, largest first', () => {
    const profile = {
      head: node('(root)', '', -1, 0, [
        node('load', 'file:///app.js', 9, 100, [node('parse', 'file:///app.js', 19, 300)]),
        node('save', 'file:///app.js', 29, 50, [node('parse', 'file:///app.js', 19, 200)]),
        node('', 'file:///app.js', 4, 10),
      ]),
    };
    expect(aggregateAllocationSites(profile)).toEqual([
      { functionName: 'parse', url: 'file:///app.js', line: 20, location: 'file:///app.js:20', selfBytes: 500 },
      { functionName: 'load', url: 'file:///app.js', line: 10, location: 'file:///app.js:10', selfBytes: 100 },
      { functionName: 'save', url: 'file:///app.js', line: 30, location: 'file:///app.js:30', selfBytes: 50 },
      { functionName: '(anonymous)', url: 'file:///app.js', line: 5, location: 'file:///app.js:5', selfBytes: 10 },
    ]);
  });
});

describe('profileHeap', () => {
  it('names the function that allocated the most among the top sites', async () => {
    const { value, sites, totalBytes } = await profileHeap(() => allocateManyRecords(), { top: 5 });
    expect(value).toHaveLength(100_000);
    expect(sites.length).toBeLessThanOrEqual(5);
    const site = sites.find((s) => s.functionName === 'allocateManyRecords');
    expect(site?.url).toContain('heap-profiler.unit.test.ts');
    expect(site?.line).toBeGreaterThan(0);
    expect(site?.selfBytes).toBeGreaterThan(1024 * 1024);
    expect(totalBytes).toBeGreaterThanOrEqual(site?.selfBytes ?? 0);
  });

  it('stops the profiler when the function throws, so the next profile works', async () => {
    await expect(
      profileHeap(() => {
        allocateManyRecords();
        throw new Error('scenario failed');
      }),
    ).rejects.toThrow('scenario failed');
    const again = await profileHeap(async () => allocateManyRecords());
    expect(again.sites.some((s) => s.functionName === 'allocateManyRecords')).toBe(true);
  });

  it('refuses to nest profiles', async () => {
    await profileHeap(async () => {
      await expect(profileHeap(() => 1)).rejects.toThrow(/already running/);
    });
  });

  it('reports live memory by default, and collected garbage only when asked', async () => {
    const churn = () => {
      allocateManyRecords();
      forceGc();
      return 0;
    };
    const bytesOf = (sites: AllocationSite[]) =>
      sites.find((s) => s.functionName === 'allocateManyRecords')?.selfBytes ?? 0;
    const live = await profileHeap(churn, { top: 50 });
    const churned = await profileHeap(churn, { top: 50, includeCollected: true });
    expect(bytesOf(live.sites)).toBeLessThan(1024 * 1024);
    expect(bytesOf(churned.sites)).toBeGreaterThan(1024 * 1024);
  });
});
