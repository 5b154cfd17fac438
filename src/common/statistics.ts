/**
 * The statistics every part of the gate uses, over plain numbers: the harness summarising latency
 * samples, the verdict reading a baseline history. No clock, no I/O: everything is an argument, so
 * every function is tested on exact numbers.
 *
 * Conventions:
 * - The standard deviation is the *sample* standard deviation (divides by n - 1); it is 0 for a
 *   single value.
 * - Percentiles interpolate linearly between the closest ranks (numpy's default, R's "type 7"):
 *   rank = p / 100 * (n - 1); the result lies between the sorted values at floor(rank) and
 *   ceil(rank). So for [1, 2, 3, 4], p75 = 3.25 and p50 = 2.5.
 * - Every function throws a RangeError naming itself on an empty input rather than returning NaN.
 */

function assertNotEmpty(values: readonly number[], what: string): void {
  if (values.length === 0) throw new RangeError(`${what} needs at least one value, got []`);
}

/** The smallest value. */
export function minOf(values: readonly number[]): number {
  assertNotEmpty(values, 'minOf');
  let min = Infinity;
  for (const v of values) if (v < min) min = v;
  return min;
}

/** The largest value. */
export function maxOf(values: readonly number[]): number {
  assertNotEmpty(values, 'maxOf');
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** The arithmetic mean. */
export function meanOf(values: readonly number[]): number {
  assertNotEmpty(values, 'meanOf');
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** The sample standard deviation (n - 1 in the denominator); 0 for a single value. */
export function stddevOf(values: readonly number[]): number {
  const mean = meanOf(values);
  if (values.length < 2) return 0;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}

/** The standard error of the mean; 0 when there are fewer than two values. */
export function standardErrorOf(values: readonly number[]): number {
  return values.length < 2 ? 0 : stddevOf(values) / Math.sqrt(values.length);
}

/** A sorted copy (ascending, numeric). */
export function sortAscending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/**
 * The `p`-th percentile (0..100) of values that are already sorted ascending, interpolating
 * linearly between the closest ranks (see the file comment).
 */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  assertNotEmpty(sorted, 'percentileOf');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentileOf p must be from 0 to 100, got ${p}`);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (rank - lower);
}

/** The `p`-th percentile (0..100) of unsorted values; see {@link percentileOfSorted}. */
export function percentileOf(values: readonly number[], p: number): number {
  return percentileOfSorted(sortAscending(values), p);
}

/** Median, 95th and 99th percentiles in one sort. */
export function percentilesOf(values: readonly number[]): { p50: number; p95: number; p99: number } {
  const sorted = sortAscending(values);
  return {
    p50: percentileOfSorted(sorted, 50),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
  };
}

/** The median (the 50th percentile). */
export function medianOf(values: readonly number[]): number {
  return percentileOf(values, 50);
}

/** The median absolute deviation from the median, unscaled. */
export function madOf(values: readonly number[]): number {
  const median = medianOf(values);
  return medianOf(values.map((v) => Math.abs(v - median)));
}

/** Scales the MAD to the standard deviation of a normal distribution. */
export const MAD_TO_SIGMA = 1.4826;

/** Croux and Rousseeuw's (1992) finite-sample factors making the MAD unbiased at the normal, n = 2..9. */
const MAD_SMALL_SAMPLE: Readonly<Record<number, number>> = {
  2: 1.196,
  3: 1.495,
  4: 1.363,
  5: 1.206,
  6: 1.2,
  7: 1.14,
  8: 1.129,
  9: 1.107,
};

/**
 * A standard deviation that one outlier does not move: 1.4826 * MAD with the small-sample
 * correction (n / (n - 0.8) from 10 values on); 0 for one value.
 */
export function robustSigmaOf(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const correction = MAD_SMALL_SAMPLE[n] ?? n / (n - 0.8);
  return MAD_TO_SIGMA * madOf(values) * correction;
}
