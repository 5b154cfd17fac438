/**
 * Pure arithmetic behind the bench category's pagination scaling check (no clock, no I/O).
 */

/** A measured point: a size (here a page size) and the latency at that size. */
export interface SizePoint {
  size: number;
  ms: number;
}

/**
 * How far the intermediate sizes fall below the straight line (the chord) from the smallest to
 * the largest size: the largest ratio chord(size) / measured(size) over the points in between.
 * Linear growth gives 1; a fixed overhead that dominates (concave growth) gives less than 1; cost
 * that grows faster than the size (convex, super-linear growth) puts the middle below the chord
 * and gives more than 1. Interpolating between measured ends rather than extrapolating a fit keeps
 * the noise of the ratio close to that of a single median.
 */
export function chordRatio(points: readonly SizePoint[]): number {
  const sorted = [...points].sort((a, b) => a.size - b.size);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (sorted.length < 3 || !first || !last || last.size <= first.size) {
    throw new RangeError(`chordRatio needs at least three points of distinct sizes, got ${JSON.stringify(points)}`);
  }
  const slope = (last.ms - first.ms) / (last.size - first.size);
  let worst = -Infinity;
  for (const p of sorted.slice(1, -1)) worst = Math.max(worst, (first.ms + slope * (p.size - first.size)) / p.ms);
  return worst;
}
