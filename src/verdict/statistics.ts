/**
 * Statistics of the verdict, and the method behind it.
 *
 * Why not a t-test on the samples of one run: the operations inside one run share the runner's speed
 * at that moment (CPU steal, a neighbour's build, the page cache), so they are not independent of
 * each other; thousands of them make a tiny within-run standard error and a t-test then "proves" noise.
 * What varies between a baseline run and this run is mostly the runner, so the noise a change is
 * measured against is the variation *between runs*, read from the baseline history window.
 *
 * For one metric with baseline values h1..hn (one per history run) and the current value c:
 *
 * - baseline  b = median(h)                  (robust to a history run on a bad runner)
 * - between   s = 1.4826 * MAD(h) * k(n)      (robust standard deviation; k(n) is the small-sample
 *                                              correction of Croux and Rousseeuw, 1992)
 * - noise     u = sqrt(s^2 * (1 + pi / (2n)) + se^2), at least minNoisePercent of |b|
 *               (the spread of a new run around the median of n runs: the run's own variation plus
 *               the median's, whose variance is about pi/2 * s^2 / n; se is the current run's
 *               within-run standard error of the mean where samples exist)
 * - evidence  z = (c - b) / u, signed so that positive means worse
 *
 * A relative regression needs both: a practical size (|c - b| beyond the absolute floor AND beyond the
 * tolerance percent of b) and evidence (z >= minEvidenceZ, default 2.5). With fewer than minHistory
 * (default 3) history values the noise cannot be estimated, so the tolerance alone decides and the
 * verdict says so.
 *
 * Latency (ms) and throughput (ops/s) have two views: raw, and calibrated by the run's machine-speed
 * factor f = (raw `pg` get-by-id p50 of the run) / (median of the same over the history), each
 * history value by its own run's factor. Both changes are reported. By default the calibrated view
 * decides (`decideOn: calibrated`): on a shared runner the machine's speed is the largest part of
 * between-run noise, and dividing it out is what lets a +30% get-by-id change stand out. `both` also
 * needs the raw change beyond the tolerance (evidence may come from either view); `raw` ignores the
 * calibration. Other metrics (error rate, memory) have only the raw view.
 *
 * A false alarm is then guarded three times: tolerance, evidence, and a confirmation re-run of the
 * flagged scenarios, where the regression must again be beyond the tolerance on the deciding view.
 * Improvements are reported, never failed. A different environment fingerprint (PostgreSQL major,
 * CPU count, Node major) turns relative failures into warnings.
 *
 * Measured on a simulated 2-core runner (test/support/results-fixtures.ts: machine speed sigma 10 %,
 * per-metric jitter 5 %, history of 10, 200 trials): A/A failing 0 %, +30 % get-by-id caught 93 %;
 * with 3 % jitter: A/A 0 %, +30 % caught 100 %. The real-machine rates come from the validation script.
 *
 * Defaults (src/config/metric-defaults.ts): avg/p50 15 %, p95 25 %, p99 35 %, per_item 20 %, floor
 * 0.05 ms; ops/s 15 %; error_rate 50 % with a floor of 0.01; memory 25 % with a floor of 5 MB.
 */

/** Croux and Rousseeuw's finite-sample factors making the MAD unbiased at the normal, n = 2..9. */
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

/** Scales the MAD to the standard deviation of a normal distribution. */
export const MAD_TO_SIGMA = 1.4826;

function requireValues(values: readonly number[], what: string): void {
  if (values.length === 0) throw new Error(`${what} needs at least one value, got none`);
}

/** Arithmetic mean. */
export function computeMean(values: readonly number[]): number {
  requireValues(values, 'mean');
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Sample standard deviation (n - 1); 0 for a single value. */
export function computeStddev(values: readonly number[]): number {
  requireValues(values, 'stddev');
  if (values.length < 2) return 0;
  const mean = computeMean(values);
  const squares = values.reduce((sum, v) => sum + (v - mean) ** 2, 0);
  return Math.sqrt(squares / (values.length - 1));
}

/**
 * Percentile with linear interpolation between closest ranks (the "type 7" of R and NumPy's
 * default): p in [0, 100].
 */
export function computePercentile(values: readonly number[], p: number): number {
  requireValues(values, 'percentile');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile must be from 0 to 100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] as number;
  return lowValue + ((sorted[high] as number) - lowValue) * (rank - low);
}

/** Median (the 50th percentile). */
export function computeMedian(values: readonly number[]): number {
  return computePercentile(values, 50);
}

/** Median absolute deviation from the median, unscaled. */
export function computeMad(values: readonly number[]): number {
  const median = computeMedian(values);
  return computeMedian(values.map((v) => Math.abs(v - median)));
}

/** Robust standard deviation: 1.4826 * MAD with the small-sample correction; 0 for one value. */
export function computeRobustSigma(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const correction = MAD_SMALL_SAMPLE[n] ?? n / (n - 0.8);
  return MAD_TO_SIGMA * computeMad(values) * correction;
}

/** Standard error of the mean of one run's samples; 0 when there are fewer than two. */
export function computeStandardError(samples: readonly number[]): number {
  return samples.length < 2 ? 0 : computeStddev(samples) / Math.sqrt(samples.length);
}

/** What the noise estimate was made of, for the report. */
export interface NoiseEstimate {
  /** Robust between-run standard deviation of the history. */
  betweenRun: number;
  /** Within-run standard error of the current value (0 when unknown). */
  withinRun: number;
  /** The noise a change is measured against (see the method above). */
  total: number;
  /** True when minNoisePercent of the baseline was larger than the estimate and used instead. */
  floored: boolean;
}

/**
 * Noise of "a new run minus the median of `history`": between-run spread inflated for the median's own
 * uncertainty, plus the current run's within-run standard error, at least `minNoisePercent` of the baseline.
 */
export function estimateNoise(
  history: readonly number[],
  withinRunSe: number,
  minNoisePercent: number,
): NoiseEstimate {
  const n = history.length;
  const betweenRun = computeRobustSigma(history);
  const estimate = Math.sqrt(betweenRun ** 2 * (1 + Math.PI / (2 * n)) + withinRunSe ** 2);
  const floor = (Math.abs(computeMedian(history)) * minNoisePercent) / 100;
  return { betweenRun, withinRun: withinRunSe, total: Math.max(estimate, floor), floored: floor > estimate };
}
