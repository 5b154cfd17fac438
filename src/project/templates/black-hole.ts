/**
 * A call on a black-holed connection (the server stops answering: bytes are accepted, nothing
 * comes back), bounded: the faults template's black_hole and timeout scenarios time it, and a
 * call that nothing of the layer ends is released rather than left hanging.
 */
import type { FaultProxy } from '../../suites/harness/fault-proxy.js';
import { timeOutcome, type TimedOutcome } from '../../suites/pooling/pool-load.js';

/** `promise`'s value if it settles within `ms`, else undefined (it keeps running). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The call on a black-holed connection, then the proxy passing again: its outcome if it ended
 * within the cap, else undefined. A call still waiting at the cap is released by the pass (its
 * statement reaches the server at last), or, if it still does not end within the cap, by resetting
 * its connection, so nothing of it is left running when this returns.
 */
export async function callThroughBlackHole(proxy: FaultProxy, call: () => Promise<unknown>, capMs: number): Promise<TimedOutcome | undefined> {
  await proxy.setMode({ kind: 'blackhole' });
  const pending = timeOutcome(call);
  const inHole = await within(pending, capMs);
  await proxy.setMode({ kind: 'pass' });
  if (inHole === undefined && (await within(pending, capMs)) === undefined) proxy.resetAll();
  await pending;
  return inHole;
}
