/**
 * One metric of one duet scenario, head against base (pure): the values of both arms taken from the
 * rounds, judged by judgePaired (per-round pairs) or judgeWholeRun (one value per arm), and turned
 * into the evidence a verdict carries.
 */
import type { ResolvedRule } from '../verdict/thresholds.js';
import type { DuetScenario } from './duet-types.js';
import { foldOf, foldValues } from './fold-rounds.js';
import type { Metric, Unit } from '../results/types.js';
import { judgePaired, judgeWholeRun, type PairedVerdict } from '../verdict/paired.js';
import { medianOf } from '../common/statistics.js';
import type { PairedEvidence } from '../verdict/types.js';

/**
 * Metrics judged with one value per arm for the whole scenario: memory figures (a growth summed over
 * rounds is the end state minus the start state, so its per-round parts are not independent) and
 * counts (with seeded work, any difference beyond the floor is real). Everything else (latencies,
 * throughput, rates) is judged on the rounds' pairs.
 */
export function isWholeRunUnit(unit: Unit): boolean {
  return unit === 'MB' || unit === 'count';
}

/** The values of `name` in the rounds where both arms measured it, in run order: the pairs. */
export function pairRounds(scenario: DuetScenario, name: string): { head: number[]; base: number[] } {
  const pairs = { head: [] as number[], base: [] as number[] };
  for (const round of scenario.rounds) {
    const head = round.head?.status === 'errored' ? undefined : round.head?.metrics[name]?.value;
    const base = round.base?.status === 'errored' ? undefined : round.base?.metrics[name]?.value;
    if (head === undefined || base === undefined) continue;
    pairs.head.push(head);
    pairs.base.push(base);
  }
  return pairs;
}

/** One arm's rounds of `name` folded into one value (as the head's results document folds them). */
function foldArm(scenario: DuetScenario, arm: 'head' | 'base', name: string, metric: Metric): number | undefined {
  const values = scenario.rounds.flatMap((r) => {
    const result = r[arm];
    const value = result?.status === 'errored' ? undefined : result?.metrics[name]?.value;
    return value === undefined ? [] : [value];
  });
  return values.length > 0 ? foldValues(foldOf(name, metric), values) : undefined;
}

/** Whether the base arm measured `name` in any round (else the metric is new in the head). */
export function baseHasMetric(scenario: DuetScenario, name: string): boolean {
  return scenario.rounds.some((r) => r.base?.status !== 'errored' && r.base?.metrics[name] !== undefined);
}

function toEvidence(verdict: PairedVerdict, method: PairedEvidence['method'], rule: ResolvedRule, pairs: number, baseValues: readonly number[]): PairedEvidence {
  const estimate = verdict.estimate;
  const interval = estimate?.interval ?? null;
  return {
    method,
    outcome: verdict.kind,
    leaning: verdict.kind === 'inconclusive' ? verdict.leaning : null,
    base: estimate?.baseCenter ?? (baseValues.length > 0 ? medianOf(baseValues) : null),
    change: estimate?.difference ?? null,
    changePercent: estimate?.percent ?? null,
    interval: interval && {
      confidence: interval.confidence,
      low: interval.difference[0],
      high: interval.difference[1],
      lowPercent: interval.percent?.[0] ?? null,
      highPercent: interval.percent?.[1] ?? null,
    },
    pairs: estimate?.pairs ?? pairs,
    droppedPairs: estimate?.droppedPairs ?? 0,
    tolerancePercent: rule.duetTolerancePercent,
    absoluteFloor: rule.duetAbsoluteFloor,
    margin: estimate?.margin.difference ?? null,
    marginPercent: estimate?.margin.percent ?? null,
    reason: verdict.reason,
  };
}

/**
 * Head against base for one metric the base measured too, with the duet margins of `rule`
 * (thresholds.json's `duetTolerancePercent` / `duetAbsoluteFloor`, else the metric's defaults).
 */
export function judgeMetricPair(scenario: DuetScenario, name: string, metric: Metric, rule: ResolvedRule): PairedEvidence {
  const margins = { direction: rule.direction, tolerancePercent: rule.duetTolerancePercent, absoluteFloor: rule.duetAbsoluteFloor };
  if (isWholeRunUnit(metric.unit)) {
    const head = foldArm(scenario, 'head', name, metric) ?? NaN;
    const base = foldArm(scenario, 'base', name, metric) ?? NaN;
    return toEvidence(judgeWholeRun({ ...margins, head, base }), 'whole-run', rule, 1, Number.isFinite(base) ? [base] : []);
  }
  const pairs = pairRounds(scenario, name);
  return toEvidence(judgePaired({ ...margins, ...pairs }), 'rounds', rule, pairs.head.length, pairs.base);
}

/** A paired outcome that should get more rounds before it is final: worse beyond the margin, or leaning worse. */
export function isWorseOrLeaningWorse(evidence: PairedEvidence): boolean {
  return evidence.method === 'rounds' && (evidence.outcome === 'regressed' || (evidence.outcome === 'inconclusive' && evidence.leaning === 'worse'));
}
