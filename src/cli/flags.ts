/** Bad command-line input: the command exits 2 with this message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Runs `read`, prefixing any error with the flag and value it came from. */
export async function readFlag<T>(flag: string, value: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`--${flag} '${value}': ${reason}`);
  }
}

/** A numeric flag within bounds, or a UsageError naming the flag, the value and the expectation. */
export function readNumberFlag(flag: string, raw: string, bounds: { min: number; max: number; whole: boolean }): number {
  const value = Number(raw);
  const kind = bounds.whole ? 'a whole number' : 'a number';
  if (raw.trim() === '' || !Number.isFinite(value) || (bounds.whole && !Number.isInteger(value)) || value < bounds.min || value > bounds.max) {
    throw new UsageError(`--${flag} must be ${kind} from ${bounds.min} to ${bounds.max}, got '${raw}'`);
  }
  return value;
}

/** A comma- or newline-separated list, trimmed, without empty entries. */
export function splitList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
