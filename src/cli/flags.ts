import { describeError } from '../common/error-message.js';
import { describeBounds, parseBoundedNumber, type NumberBounds } from '../common/number-bounds.js';

/** Bad command-line input: the command exits 2 with this message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Runs `read`, prefixing any error with the flag and value it came from. */
export async function readFlag<T>(flag: string, value: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const reason = describeError(error);
    throw new UsageError(`--${flag} '${value}': ${reason}`);
  }
}

/** A numeric flag within bounds, or a UsageError naming the flag, the value and the expectation. */
export function readNumberFlag(flag: string, raw: string, bounds: NumberBounds): number {
  const value = parseBoundedNumber(raw, bounds);
  if (value === undefined) throw new UsageError(`--${flag} must be ${describeBounds(bounds)}, got '${raw}'`);
  return value;
}
