/**
 * The paired verdict of a duet run: head against base from the rounds of one run (docs/duet-method.md).
 *
 * A round runs one block of each arm's work, then another in the reverse order (ABBA or BAAB); each
 * two adjacent blocks form a pair, measured moments apart on the same machine, so the machine's speed
 * cancels in the pair. For one metric:
 *
 * - scale: when every value is positive (latencies, throughput) the pair is compared as a log ratio
 *   d = ln(head / base); otherwise (error rates of 0, memory deltas that may shrink) as a plain
 *   difference d = head - base.
 * - estimate: the Hodges-Lehmann estimator, the median of the Walsh averages (d_i + d_j) / 2 for
 *   i <= j; on the log scale exp(estimate) is the head/base ratio. It keeps the efficiency of the mean
 *   on normal data (95%) yet resists a GC pause or a descheduled block in up to 29% of the pairs.
 * - interval: the distribution-free interval that inverts the Wilcoxon signed-rank test,
 *   [W_(c+1), W_(M-c)] of the M sorted Walsh averages, with c the largest count whose exact
 *   lower-tail probability P(T <= c) is at most (1 - level) / 2; its exact coverage is reported
 *   (src/verdict/hodges-lehmann.ts).
 * - margin: the practical size a change must have, from thresholds.json: the larger of the tolerance
 *   percent and the absolute floor (as a fraction of the base's median on the ratio scale).
 *
 * Regressed: the whole interval is worse than the margin (the rounds show, at the chosen confidence,
 * a change beyond the tolerance and the floor). Improved: the same on the better side. Pass: the point
 * estimate lies within the margin. Inconclusive: the estimate is beyond the margin but the interval
 * reaches back inside it, or there are too few usable pairs.
 *
 * Why the interval must clear the tolerance instead of merely excluding "no change": a run compares
 * about 100 metrics that can fail, and the gate may fail at most 1 A/A run in 20, so a metric may
 * false-alarm about once in 2,000 runs. A 95% test alone would false-alarm in 2.5% of metrics; and
 * a persistent difference between the two arms (their databases, their processes' memory layout) is
 * the same in every round, so no interval built from the rounds can see it: only the tolerance
 * absorbs it. The numbers are in docs/duet-method.md (scripts/simulate-paired.ts).
 */
import type { Direction } from '../results/types.js';
import { estimateHodgesLehmann } from './hodges-lehmann.js';
import { medianOf } from '../common/statistics.js';

/**
 * Two-sided confidence level of the interval by default: 99.8%, so a regression needs the rounds to
 * show a change beyond the margin at 99.9% one-sided confidence. Sized by full-gate A/A duets on the
 * 2-core machine: their standard errors of avg_ms were 4-13% (median 6.6%) instead of the 2% the
 * first design assumed, with heavier tails than normal; 90% failed 4 of 6 A/A runs and 99% 2 of 20
 * (docs/duet-method.md, "Measured on this machine").
 */
export const DEFAULT_PAIRED_LEVEL = 0.998;

/** Fewer usable pairs than this: inconclusive. Ten is the fewest with a 99.8% interval (n = 9 reaches 99.6%). */
export const DEFAULT_MIN_PAIRS = 10;

/**
 * An interval's exact confidence as a percentage, cut (never rounded up) to one decimal without a
 * trailing .0: 0.998046875 is 99.8%, 0.90625 is 90.6%, 0.95 is 95%.
 */
export function formatConfidence(confidence: number): string {
  const tenths = Math.floor(confidence * 1000 + 1e-9);
  return `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)}%`;
}

/** One metric of one scenario, measured in both arms of a duet run. */
export interface PairedInput {
  /** The head arm's value of each pair (one block of the scenario's work), in run order. */
  head: readonly number[];
  /** The base arm's value of each pair: base[i] ran right before or after head[i]. */
  base: readonly number[];
  /** Which way is better. */
  direction: Direction;
  /** A change smaller than this percentage of the base is never a regression. */
  tolerancePercent: number;
  /** A change smaller than this, in the metric's unit, is never a regression. */
  absoluteFloor: number;
}

/** How the interval is made. */
export interface PairedOptions {
  /** Two-sided confidence level of the interval, in (0, 1). */
  level: number;
  /** Fewest usable pairs for a verdict. */
  minPairs: number;
}

/** A low and a high bound. */
export type Bounds = readonly [low: number, high: number];

/** The size of the change of head against base, and how sure the rounds are of it. */
export interface PairedEstimate {
  /** `ratio`: compared as log(head / base); `difference`: as head - base (some value was 0 or negative). */
  scale: 'ratio' | 'difference';
  /** Pairs used. */
  pairs: number;
  /** Pairs left out because a value was NaN or infinite. */
  droppedPairs: number;
  /** Median of the base arm's values: what relative changes are relative to. */
  baseCenter: number;
  /** head / base; null on the difference scale when the base's median is not positive. */
  ratio: number | null;
  /** The change in percent of the base's median (of its magnitude); null when that median is 0. */
  percent: number | null;
  /** head - base in the metric's unit (on the ratio scale: (ratio - 1) * baseCenter). */
  difference: number;
  /**
   * The interval of the same three views and its exact coverage; null when judged from one value per
   * arm (`judgeWholeRun`).
   */
  interval: { confidence: number; ratio: Bounds | null; percent: Bounds | null; difference: Bounds } | null;
  /** The practical margin the change is judged against, in the metric's unit and as a percentage. */
  margin: { difference: number; percent: number | null };
}

/** The paired verdict of one metric. */
export type PairedVerdict =
  | { kind: 'regressed' | 'improved' | 'pass'; estimate: PairedEstimate; reason: string }
  | {
      kind: 'inconclusive';
      estimate: PairedEstimate | null;
      /** Which side of the margin the point estimate is on; null without an estimate (too few pairs). */
      leaning: 'worse' | 'better' | null;
      reason: string;
    };

function requireSetting(ok: boolean, what: string, value: unknown, expected: string): void {
  if (!ok) throw new RangeError(`paired verdict: ${what} must be ${expected}, got ${String(value)}`);
}

function validateInput(input: PairedInput, options: PairedOptions): void {
  const { head, base, tolerancePercent, absoluteFloor } = input;
  requireSetting(head.length === base.length, 'head and base', `${head.length} head and ${base.length} base values`, 'one value per pair each');
  requireSetting(Number.isFinite(tolerancePercent) && tolerancePercent >= 0, 'tolerancePercent', tolerancePercent, 'a finite number >= 0');
  requireSetting(Number.isFinite(absoluteFloor) && absoluteFloor >= 0, 'absoluteFloor', absoluteFloor, 'a finite number >= 0');
  requireSetting(options.level > 0 && options.level < 1, 'level', options.level, 'between 0 and 1');
  requireSetting(Number.isInteger(options.minPairs) && options.minPairs >= 1, 'minPairs', options.minPairs, 'a whole number >= 1');
}

/** Splits the rounds into usable pairs and pairs with a NaN or infinite value. */
function keepFinitePairs(head: readonly number[], base: readonly number[]): { head: number[]; base: number[]; dropped: number } {
  const kept = { head: [] as number[], base: [] as number[], dropped: 0 };
  head.forEach((h, i) => {
    const b = base[i] as number;
    if (Number.isFinite(h) && Number.isFinite(b)) {
      kept.head.push(h);
      kept.base.push(b);
    } else {
      kept.dropped++;
    }
  });
  return kept;
}

/** The three views of one change: ratio, percent and difference in the metric's unit. */
interface ChangeViews {
  ratio: number | null;
  percent: number | null;
  difference: number;
}

/**
 * Converts a change on the comparison scale (a log ratio, or a difference) to its three views. A ratio
 * needs a positive base; a percentage needs a base other than 0 (relative to its magnitude).
 */
function viewChange(x: number, ratioScale: boolean, baseCenter: number): ChangeViews {
  if (ratioScale) {
    const ratio = Math.exp(x);
    return { ratio, percent: (ratio - 1) * 100, difference: (ratio - 1) * baseCenter };
  }
  return {
    ratio: baseCenter > 0 ? 1 + x / baseCenter : null,
    percent: baseCenter === 0 ? null : (x / Math.abs(baseCenter)) * 100,
    difference: x,
  };
}

/** The practical margin: the larger of the floor and the tolerance's share of the base. */
function buildMargin(input: Pick<PairedInput, 'tolerancePercent' | 'absoluteFloor'>, baseCenter: number): PairedEstimate['margin'] {
  const magnitude = Math.abs(baseCenter);
  const difference = Math.max(input.absoluteFloor, (input.tolerancePercent / 100) * magnitude);
  return { difference, percent: magnitude === 0 ? null : (difference / magnitude) * 100 };
}

/** Builds the estimate on the ratio scale (every value positive) or the difference scale. */
function buildEstimate(
  head: readonly number[],
  base: readonly number[],
  dropped: number,
  input: PairedInput,
  level: number,
): PairedEstimate | null {
  const baseCenter = medianOf(base);
  const ratioScale = [...head, ...base].every((v) => v > 0);
  const d = head.map((h, i) => (ratioScale ? Math.log(h / (base[i] as number)) : h - (base[i] as number)));
  const hl = estimateHodgesLehmann(d, level);
  if (hl === null) return null;
  const point = viewChange(hl.estimate, ratioScale, baseCenter);
  const low = viewChange(hl.low, ratioScale, baseCenter);
  const high = viewChange(hl.high, ratioScale, baseCenter);
  return {
    scale: ratioScale ? 'ratio' : 'difference',
    pairs: d.length,
    droppedPairs: dropped,
    baseCenter,
    ...point,
    interval: {
      confidence: hl.confidence,
      ratio: low.ratio === null || high.ratio === null ? null : [low.ratio, high.ratio],
      percent: low.percent === null || high.percent === null ? null : [low.percent, high.percent],
      difference: [low.difference, high.difference],
    },
    margin: buildMargin(input, baseCenter),
  };
}

function signed(x: number, digits: number): string {
  return `${x > 0 ? '+' : ''}${x.toFixed(digits)}`;
}

/** "+10.5% (99.8% interval +3.2% to +18.4%, 16 pairs)", in the metric's unit when there is no percentage. */
function formatChange(estimate: PairedEstimate): string {
  const { percent, interval } = estimate;
  const pairs = `${estimate.pairs} pair${estimate.pairs === 1 ? '' : 's'}${estimate.droppedPairs > 0 ? `, ${estimate.droppedPairs} dropped` : ''}`;
  if (interval === null) return `${percent === null ? signed(estimate.difference, 4) : `${signed(percent, 1)}%`} (one value per arm for the whole run)`;
  const level = `${formatConfidence(interval.confidence)} interval`;
  return percent !== null && interval.percent !== null
    ? `${signed(percent, 1)}% (${level} ${signed(interval.percent[0], 1)}% to ${signed(interval.percent[1], 1)}%, ${pairs})`
    : `${signed(estimate.difference, 4)} (${level} ${signed(interval.difference[0], 4)} to ${signed(interval.difference[1], 4)}, ${pairs})`;
}

function formatMargin(estimate: PairedEstimate): string {
  const { margin } = estimate;
  return margin.percent === null ? `the floor of ${margin.difference}` : `the ${Number(margin.percent.toFixed(2))}% margin`;
}

/**
 * Judges head against base from the paired rounds of one run (see the method at the top of this file).
 * Throws on a caller's mistake (unpaired arrays, a negative tolerance); data problems (NaN rounds, too
 * few pairs) give an inconclusive verdict that says why.
 */
export function judgePaired(input: PairedInput, options: PairedOptions = { level: DEFAULT_PAIRED_LEVEL, minPairs: DEFAULT_MIN_PAIRS }): PairedVerdict {
  validateInput(input, options);
  const kept = keepFinitePairs(input.head, input.base);
  const tooFew = (why: string): PairedVerdict => ({ kind: 'inconclusive', estimate: null, leaning: null, reason: `${kept.head.length} usable pairs${kept.dropped > 0 ? ` (${kept.dropped} with NaN or infinite values dropped)` : ''}, ${why}` });
  if (kept.head.length < options.minPairs) return tooFew(`fewer than ${options.minPairs}`);
  const estimate = buildEstimate(kept.head, kept.base, kept.dropped, input, options.level);
  if (estimate === null) return tooFew(`too few for a ${options.level * 100}% interval`);

  // Orient so that positive means worse; then the interval's low end is its least-worse end.
  const sign = input.direction === 'lower' ? 1 : -1;
  const bounds = (estimate.interval as NonNullable<PairedEstimate['interval']>).difference;
  const [low, high] = bounds.map((x) => sign * x).sort((a, b) => a - b) as [number, number];
  const worse = sign * estimate.difference;
  const margin = estimate.margin.difference;
  const change = formatChange(estimate);
  if (low > margin) return { kind: 'regressed', estimate, reason: `worse by ${change}: the whole interval is beyond ${formatMargin(estimate)}` };
  if (high < -margin) return { kind: 'improved', estimate, reason: `better by ${change}: the whole interval is beyond ${formatMargin(estimate)}` };
  if (Math.abs(worse) <= margin) return { kind: 'pass', estimate, reason: `${change}: within ${formatMargin(estimate)}` };
  const leaning = worse > 0 ? 'worse' : 'better';
  return {
    kind: 'inconclusive',
    estimate,
    leaning,
    reason: `${leaning} by ${change}: beyond ${formatMargin(estimate)}, but the interval reaches back inside it`,
  };
}

/** One metric measured once per arm over the whole run (a memory growth, a count). */
export interface WholeRunInput extends Omit<PairedInput, 'head' | 'base'> {
  head: number;
  base: number;
}

/**
 * Judges a metric that has one value per arm for the whole run, by tolerance and floor alone: a
 * memory growth summed over the rounds is the end state minus the start state, so its per-round parts
 * are not independent and an interval from them would mostly measure the allocator.
 */
export function judgeWholeRun(input: WholeRunInput): PairedVerdict {
  validateInput({ ...input, head: [input.head], base: [input.base] }, { level: DEFAULT_PAIRED_LEVEL, minPairs: 1 });
  const { head, base } = input;
  if (!Number.isFinite(head) || !Number.isFinite(base)) {
    return { kind: 'inconclusive', estimate: null, leaning: null, reason: `head ${head} and base ${base}: both must be finite numbers` };
  }
  // One pair needs no log scale; computing the views directly keeps a change equal to the margin exact.
  const estimate: PairedEstimate = {
    scale: head > 0 && base > 0 ? 'ratio' : 'difference',
    pairs: 1,
    droppedPairs: 0,
    baseCenter: base,
    ratio: base > 0 ? head / base : null,
    percent: base === 0 ? null : ((head - base) / Math.abs(base)) * 100,
    difference: head - base,
    interval: null,
    margin: buildMargin(input, base),
  };
  const worse = (input.direction === 'lower' ? 1 : -1) * estimate.difference;
  const margin = estimate.margin.difference;
  const change = `${formatChange(estimate)}, judged by tolerance and floor alone`;
  if (worse > margin) return { kind: 'regressed', estimate, reason: `worse by ${change}: beyond ${formatMargin(estimate)}` };
  if (worse < -margin) return { kind: 'improved', estimate, reason: `better by ${change}: beyond ${formatMargin(estimate)}` };
  return { kind: 'pass', estimate, reason: `${change}: within ${formatMargin(estimate)}` };
}
