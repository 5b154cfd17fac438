import { describe, expect, it } from 'vitest';
import { chooseCpuClock, cpuPerCallMs, processCpuClock, readMainThreadCpuUs, startCpuMeter } from '../../../src/suites/harness/cpu-meter.js';

/** A CPU clock that returns the given readings (microseconds) in turn. */
function readings(...values: number[]): () => number {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)]!;
}

describe('startCpuMeter', () => {
  it('accumulates the running stretches only, in ms', () => {
    // start 1000; pause 1600 (+600); resume 5000; pause 5400 (+400)
    const meter = startCpuMeter(readings(1000, 1600, 5000, 5400));
    meter.pause();
    meter.resume();
    meter.pause();
    expect(meter.elapsedMs()).toBe(1);
  });

  it('counts the running stretch when read while running; pause and resume twice are no-ops', () => {
    // start 0; resume (running: no read); elapsed reads 250; pause 300; pause again (no read); elapsed
    const meter = startCpuMeter(readings(0, 250, 300, 999));
    meter.resume();
    expect(meter.elapsedMs()).toBe(0.25);
    meter.pause();
    meter.pause();
    expect(meter.elapsedMs()).toBe(0.3);
  });

  it('reads the process clock as user + system microseconds, never going back', () => {
    const a = processCpuClock();
    let x = 0;
    for (let i = 0; i < 1e6; i++) x += i;
    const b = processCpuClock();
    expect(x).toBeGreaterThan(0);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThanOrEqual(a);
  });
});

describe('chooseCpuClock', () => {
  it("takes the JavaScript thread's clock where it can be read, else the process's", () => {
    expect(chooseCpuClock(() => 1234).source).toBe('thread');
    expect(chooseCpuClock(() => 1234).clock()).toBe(1234);
    expect(chooseCpuClock(() => undefined)).toMatchObject({ source: 'process', clock: processCpuClock });
  });

  it("reads this thread's CPU time on Linux, at most the process's", () => {
    const thread = readMainThreadCpuUs();
    if (process.platform !== 'linux') return expect(thread === undefined || thread > 0).toBe(true);
    expect(thread).toBeGreaterThan(0);
    expect(thread!).toBeLessThanOrEqual(processCpuClock() + 20_000);
  });
});

describe('cpuPerCallMs', () => {
  it('divides by the calls, and gives nothing for no call or a figure that is not one', () => {
    expect(cpuPerCallMs(3, 12)).toBe(0.25);
    expect(cpuPerCallMs(0, 4)).toBe(0);
    expect(cpuPerCallMs(3, 0)).toBeUndefined();
    expect(cpuPerCallMs(Number.NaN, 3)).toBeUndefined();
    expect(cpuPerCallMs(-1, 3)).toBeUndefined();
  });
});
