/** How big a gate run is: seeded users, the scale of every scenario, and the random seed. */
export interface RunSize {
  /** Users seeded before the scenarios (10,000 by default). */
  users: number;
  /** Multiplies the scenarios' sizes (docs/scenarios.md); 1 is the full run. */
  scale: number;
  /** Seed of every random choice. */
  seed: number;
}

/** Bounds of a numeric setting, shared by the CLI flags and the action's environment knobs. */
export interface NumberBounds {
  min: number;
  max: number;
  whole: boolean;
}

export const SEED_USERS_BOUNDS: NumberBounds = { min: 100, max: 10_000_000, whole: true };
export const SCALE_BOUNDS: NumberBounds = { min: 0.01, max: 10, whole: false };
export const SEED_BOUNDS: NumberBounds = { min: 0, max: 2 ** 32 - 1, whole: true };

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
