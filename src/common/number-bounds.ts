/** The range a numeric setting accepts, shared by every reader of it (a flag, a variable, a schema). */
export interface NumberBounds {
  min: number;
  max: number;
  whole: boolean;
}

/** Whether `raw` is a number within `bounds` (a whole one when asked); returns it, else undefined. */
export function parseBoundedNumber(raw: string, bounds: NumberBounds): number | undefined {
  const value = Number(raw);
  const fits = raw.trim() !== '' && Number.isFinite(value) && (!bounds.whole || Number.isInteger(value));
  return fits && value >= bounds.min && value <= bounds.max ? value : undefined;
}

/** `a whole number from 100 to 10000000`: what a setting with `bounds` expects, in words. */
export function describeBounds(bounds: NumberBounds): string {
  return `${bounds.whole ? 'a whole number' : 'a number'} from ${bounds.min} to ${bounds.max}`;
}
