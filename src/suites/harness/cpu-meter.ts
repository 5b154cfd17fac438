/**
 * The client's CPU time over the stretches of a timed block where the measured calls run: what a
 * call costs the client, which the machine's other load moves far less than the call's wall time.
 *
 * Which CPU: the JavaScript thread's (user + system), read from Linux's schedstat, where the calls
 * run. The whole process's (process.cpuUsage(): V8's concurrent marking, sweeping and compiler
 * threads as well) is the fallback where that file does not exist. Measured on a 2-core machine in
 * A/A duets of bench.crud.get_by_id (scripts/validate-cpu.ts, scripts/bare-probe.ts), the helper
 * threads' share came in bursts that landed in one arm's block or the other's, about doubling the
 * paired standard error; what they do is the garbage collector's and compiler's work, owed to the
 * process's whole history rather than to the block's calls.
 */
import { readFileSync } from 'node:fs';

/** Reads a CPU time so far in microseconds (tests pass a fake one). */
export type CpuClock = () => number;

/** The process's CPU time, all threads: process.cpuUsage(), user + system, in microseconds. */
export const processCpuClock: CpuClock = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/**
 * The JavaScript thread's CPU time in microseconds: the first field of Linux's
 * /proc/self/task/<pid>/schedstat (ns on the CPU, user and system); undefined where it cannot be read.
 */
export function readMainThreadCpuUs(): number | undefined {
  try {
    const ns = Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
    return Number.isFinite(ns) && ns > 0 ? ns / 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** The JavaScript thread's CPU clock where the system has one, else the process's. */
export function chooseCpuClock(read: () => number | undefined = readMainThreadCpuUs): { clock: CpuClock; source: 'thread' | 'process' } {
  return read() === undefined ? { clock: processCpuClock, source: 'process' } : { clock: () => read() ?? Number.NaN, source: 'thread' };
}

let chosen: CpuClock | undefined;

/** The clock the bench runner measures with, chosen once per process. */
export function defaultCpuClock(): CpuClock {
  chosen ??= chooseCpuClock().clock;
  return chosen;
}

/** CPU time accumulated while running; pausable around work that is not the measured calls. */
export interface CpuMeter {
  /** Stops accumulating (a reference call between the measured ones); a no-op when paused. */
  pause(): void;
  /** Accumulates again; a no-op when running. */
  resume(): void;
  /** CPU time accumulated so far, in ms (the running stretch included). */
  elapsedMs(): number;
}

/** A CPU meter that starts running now. */
export function startCpuMeter(clock: CpuClock = defaultCpuClock()): CpuMeter {
  let totalUs = 0;
  let since: number | undefined = clock();
  return {
    pause() {
      if (since === undefined) return;
      totalUs += clock() - since;
      since = undefined;
    },
    resume() {
      since ??= clock();
    },
    elapsedMs() {
      return (totalUs + (since === undefined ? 0 : clock() - since)) / 1000;
    },
  };
}

/** CPU ms per call, undefined when no call was made (a mean over nothing is no figure). */
export function cpuPerCallMs(cpuMs: number, calls: number): number | undefined {
  return calls > 0 && Number.isFinite(cpuMs) && cpuMs >= 0 ? cpuMs / calls : undefined;
}
