import { describe, expect, it } from 'vitest';
import {
  forceGc,
  heapStats,
  parseVmSizeMb,
  readMemory,
  settleGc,
  trackPeakHeap,
} from '../../../src/suites/harness/memory.js';

/** About 30 MB of small heap objects (Buffers would be external memory, not heap). */
function allocateObjects(count = 600_000): Array<{ id: number; label: string }> {
  const objects: Array<{ id: number; label: string }> = [];
  for (let id = 0; id < count; id += 1) objects.push({ id, label: `row-${id}` });
  return objects;
}

describe('readMemory', () => {
  it('reads RSS, heap and, on Linux, VMS in MB', () => {
    const reading = readMemory();
    expect(reading.rssMb).toBeGreaterThan(10);
    expect(reading.heapUsedMb).toBeGreaterThan(1);
    expect(reading.heapTotalMb).toBeGreaterThanOrEqual(reading.heapUsedMb);
    if (process.platform === 'linux') expect(reading.vmsMb).toBeGreaterThan(reading.rssMb);
  });

  it('parses VmSize from /proc status text', () => {
    expect(parseVmSizeMb('Name:\tnode\nVmPeak:\t  300000 kB\nVmSize:\t  204800 kB\nVmRSS:\t 1 kB\n')).toBe(200);
    expect(parseVmSizeMb('Name:\tnode\n')).toBeUndefined();
  });
});

describe('forceGc', () => {
  it('collects a dropped allocation without the --expose-gc flag', () => {
    forceGc();
    const before = process.memoryUsage().heapUsed;
    let objects: unknown[] | undefined = allocateObjects();
    const held = process.memoryUsage().heapUsed;
    expect(objects).toHaveLength(600_000);
    objects = undefined;
    forceGc();
    const after = process.memoryUsage().heapUsed;
    expect(held - before).toBeGreaterThan(15 * 1024 * 1024);
    expect(held - after).toBeGreaterThan(15 * 1024 * 1024);
    expect(objects).toBeUndefined();
  });

  it('settleGc lets FinalizationRegistry callbacks run', async () => {
    const finalized: string[] = [];
    const registry = new FinalizationRegistry<string>((token) => finalized.push(token));
    (() => {
      registry.register({ big: new Array(1_000).fill(0) }, 'session-1');
    })();
    for (let attempt = 0; attempt < 5 && finalized.length === 0; attempt += 1) await settleGc();
    expect(finalized).toEqual(['session-1']);
  });
});

describe('heapStats and trackPeakHeap', () => {
  it('reads V8 heap statistics in MB', () => {
    const stats = heapStats();
    expect(stats.usedHeapMb).toBeGreaterThan(1);
    expect(stats.heapSizeLimitMb).toBeGreaterThan(stats.totalHeapMb);
    expect(stats.nativeContexts).toBeGreaterThanOrEqual(1);
  });

  it('keeps the peak heap seen while memory rose and fell', () => {
    forceGc();
    const baseline = process.memoryUsage().heapUsed / 1024 / 1024;
    const tracker = trackPeakHeap(5);
    const holder: { objects?: unknown[] } = { objects: allocateObjects() };
    tracker.sample();
    expect(holder.objects).toHaveLength(600_000);
    delete holder.objects;
    forceGc();
    const peak = tracker.stop();
    expect(peak).toBeGreaterThan(baseline + 15);
    expect(tracker.peakMb).toBe(peak);
  });
});
