/**
 * The smallest change the duet verdict catches, estimated from the intervals of A/A runs (pure).
 *
 * A paired metric regresses when the low end of its interval, estimate - z_level x se on the log
 * scale, clears the margin. For a true change c, the estimate is about c with standard error se, so
 * it is caught in `power` of runs when c >= ln(1 + margin) + (z_level + z_power) x se. The se is read
 * back from each A/A interval's width (the exact Wilcoxon interval is close to estimate +- z x se).
 * A real change of that size leans worse, so the scenario is extended to twice its planned rounds
 * (the extension): the se then shrinks by the square root of the pairs gained.
 */
import { medianOf } from '../src/common/statistics.js';
import { judgePaired } from '../src/verdict/paired.js';

/**
 * Normal quantiles: of the duet verdict's two-sided level (DEFAULT_PAIRED_LEVEL, 99.8%: 3.09), and
 * of one-sided 95% (caught in 19 runs of 20).
 */
export const Z_LEVEL = 3.090232306167813;
export const Z_POWER_95 = 1.6448536269514722;

/** One A/A reading of one scenario's metric. */
export interface IntervalReading {
  scenarioId: string;
  /** The interval in percent of the base, as the verdict reports it. */
  lowPercent: number;
  highPercent: number;
  /** Pairs the interval used, and the rounds planned before any extension. */
  pairs: number;
  plannedRounds: number;
}

/** The standard error on the log scale that an interval of `zLevel` half-widths implies. */
export function standardErrorOf(reading: Pick<IntervalReading, 'lowPercent' | 'highPercent'>, zLevel = Z_LEVEL): number {
  return (Math.log(1 + reading.highPercent / 100) - Math.log(1 + reading.lowPercent / 100)) / (2 * zLevel);
}

/**
 * `head` against `base` paired as the duet verdict pairs them (judgePaired, its 99.8% interval):
 * the estimated change and the standard error its interval implies, both in percent; NaN when the
 * pairs give no interval.
 */
export function pairedChange(head: readonly number[], base: readonly number[]): { changePercent: number; sePercent: number } {
  const estimate = judgePaired({ head, base, direction: 'lower', tolerancePercent: 5, absoluteFloor: 0 }).estimate;
  const percent = estimate?.interval?.percent;
  if (!percent) return { changePercent: NaN, sePercent: NaN };
  return { changePercent: estimate.percent ?? NaN, sePercent: standardErrorOf({ lowPercent: percent[0], highPercent: percent[1] }) * 100 };
}

/**
 * The smallest relative change (percent) caught in `power` of runs, for a metric whose standard
 * error after the extension is `se` (log scale), with a margin of `marginPercent`.
 */
export function detectableChangePercent(se: number, marginPercent: number, zLevel = Z_LEVEL, zPower = Z_POWER_95): number {
  return (Math.exp(Math.log(1 + marginPercent / 100) + (zLevel + zPower) * se) - 1) * 100;
}

/** Per scenario: the median standard error over its readings, brought to the extended pair count. */
export function detectableByScenario(readings: readonly IntervalReading[], marginPercent: number): Map<string, number> {
  const byScenario = new Map<string, number[]>();
  for (const reading of readings) {
    const extendedPairs = 2 * reading.plannedRounds;
    const se = standardErrorOf(reading) * Math.sqrt(reading.pairs / Math.max(reading.pairs, extendedPairs));
    if (Number.isFinite(se)) byScenario.set(reading.scenarioId, [...(byScenario.get(reading.scenarioId) ?? []), se]);
  }
  return new Map([...byScenario].map(([id, ses]) => [id, detectableChangePercent(medianOf(ses), marginPercent)]));
}

/** Per category, its most sensitive scenario: the smallest detectable change and which scenario gives it. */
export function detectableByCategory(byScenario: ReadonlyMap<string, number>): Map<string, { scenarioId: string; percent: number }> {
  const best = new Map<string, { scenarioId: string; percent: number }>();
  for (const [scenarioId, percent] of byScenario) {
    const category = scenarioId.split('.')[0] ?? scenarioId;
    const current = best.get(category);
    if (!current || percent < current.percent) best.set(category, { scenarioId, percent });
  }
  return best;
}
