/**
 * The Hodges-Lehmann estimate of a centre and its distribution-free interval from the Wilcoxon
 * signed-rank test (Hodges and Lehmann 1963; Hollander and Wolfe, Nonparametric Statistical Methods).
 * Used by the paired verdict on the per-pair log ratios or differences of a duet run.
 *
 * Ties (error rates of 0 in most pairs) keep the ranks of the tie-free distribution, as is usual: the
 * coverage is then approximate, and an interval of zero width means every pair agreed.
 */

function requireWholeNumber(n: number): void {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`signed-rank distribution: n must be a whole number >= 0, got ${n}`);
}

/**
 * The exact null distribution of the Wilcoxon signed-rank statistic T+ for n pairs without ties:
 * entry t is P(T+ = t), t = 0 .. n(n+1)/2. Each rank k enters the sum with probability 1/2.
 */
export function computeSignedRankDistribution(n: number): number[] {
  requireWholeNumber(n);
  let probabilities = [1];
  for (let k = 1; k <= n; k++) {
    const next = new Array<number>(probabilities.length + k).fill(0);
    probabilities.forEach((p, t) => {
      next[t] = (next[t] as number) + p / 2;
      next[t + k] = (next[t + k] as number) + p / 2;
    });
    probabilities = next;
  }
  return probabilities;
}

/** Memo of findSignedRankBound: the simulation asks for the same few (n, level) millions of times. */
const boundMemo = new Map<string, { rank: number; confidence: number } | null>();

/**
 * The 1-based rank of the interval's low end among the sorted Walsh averages for a two-sided `level`
 * interval with n pairs (the high end has the same rank from the top), and the interval's exact
 * coverage; null when even [min, max] does not reach `level` (n too small).
 */
export function findSignedRankBound(n: number, level: number): { rank: number; confidence: number } | null {
  const key = `${n}:${level}`;
  if (boundMemo.has(key)) return boundMemo.get(key) as { rank: number; confidence: number } | null;
  const tail = (1 - level) / 2;
  const distribution = computeSignedRankDistribution(n);
  let cumulative = 0;
  let found: { rank: number; confidence: number } | null = null;
  for (let t = 0; t < distribution.length; t++) {
    cumulative += distribution[t] as number;
    // A relative epsilon keeps a tail that equals the target exactly on the inside despite rounding.
    if (cumulative > tail * (1 + 1e-12)) break;
    found = { rank: t + 1, confidence: 1 - 2 * cumulative };
  }
  boundMemo.set(key, found);
  return found;
}

/** The Walsh averages (d_i + d_j) / 2 for i <= j, sorted ascending. */
export function computeWalshAverages(values: readonly number[]): Float64Array {
  const n = values.length;
  const averages = new Float64Array((n * (n + 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) averages[k++] = ((values[i] as number) + (values[j] as number)) / 2;
  }
  return averages.sort(); // a typed array sorts numerically
}

/**
 * Hodges-Lehmann estimate of the centre of `values` with the Wilcoxon signed-rank interval; null when
 * there are too few values for `level`.
 */
export function estimateHodgesLehmann(
  values: readonly number[],
  level: number,
): { estimate: number; low: number; high: number; confidence: number } | null {
  const bound = findSignedRankBound(values.length, level);
  if (bound === null) return null;
  const walsh = computeWalshAverages(values);
  const m = walsh.length;
  // The Walsh averages are sorted already, so their median is read off the middle.
  const estimate = m % 2 === 1 ? (walsh[(m - 1) / 2] as number) : ((walsh[m / 2 - 1] as number) + (walsh[m / 2] as number)) / 2;
  return {
    estimate,
    low: walsh[bound.rank - 1] as number,
    high: walsh[m - bound.rank] as number,
    confidence: bound.confidence,
  };
}
