/**
 * The noise a change is measured against, and the method of the verdict behind it (the plain
 * statistics it uses are common/statistics.ts).
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
 * Defaults (src/verdict/metric-defaults.ts): avg/p50 15 %, p95 25 %, p99 35 %, per_item 20 %, floor
 * 0.05 ms; ops/s 15 %; error_rate 50 % with a floor of 0.01; memory 25 % with a floor of 5 MB.
 */
import { medianOf, robustSigmaOf } from '../common/statistics.js';

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
  const betweenRun = robustSigmaOf(history);
  const estimate = Math.sqrt(betweenRun ** 2 * (1 + Math.PI / (2 * n)) + withinRunSe ** 2);
  const floor = (Math.abs(medianOf(history)) * minNoisePercent) / 100;
  return { betweenRun, withinRun: withinRunSe, total: Math.max(estimate, floor), floored: floor > estimate };
}
