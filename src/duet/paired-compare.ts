/**
 * The verdict of a duet run (pure): head against base from the rounds of one run, in the same
 * Comparison the history verdict produces, so every report reads it.
 *
 * - Paired scenarios: every metric compared by default (or as thresholds.json says) is judged head
 *   against base with the duet margins (paired-metric.ts); the other metrics pass uncompared.
 * - The head's absolute limits and the specification's checks judge the head arm's folded results,
 *   exactly as a single-arm run's (compareToBaseline with no history finds the breaches).
 * - A scenario in the head only is `new`, in the base only `missing`; one whose definition differs
 *   between the arms (`changed`) is judged by the head's absolute limits only; one where an arm
 *   errored is `errored`.
 */
import { resolveRule, type Thresholds } from '../verdict/thresholds.js';
import type { DuetRun, DuetScenario } from './duet-types.js';
import type { ResultsDocument, ScenarioResult } from '../results/types.js';
import { findBreachedLimit } from '../verdict/judge-metric.js';
import { growthFailedChecks, judgeCost, type CostJudgeInput } from '../verdict/cost-verdict.js';
import { computeOutcome } from '../verdict/outcome.js';
import { baseHasMetric, isWorseOrLeaningWorse, judgeMetricPair } from './paired-metric.js';
import { buildTrends, DEFAULT_KEY_LATENCIES, type KeyLatency } from '../verdict/trends.js';
import type { Comparison, DuetScenarioFigures, DuetSummary, FailedCheck, MetricVerdict } from '../verdict/types.js';

/** What judgeDuet needs; nothing is read from the world. */
export interface DuetJudgeInput {
  duet: DuetRun;
  /** The head arm's rounds folded into a results document (src/duet/head-document.ts). */
  head: ResultsDocument;
  thresholds: Thresholds;
  /** Baseline runs, newest first: only for the trend chart (the verdict never reads them). */
  history?: readonly ResultsDocument[];
  keyLatencies?: readonly KeyLatency[];
}

/** One scenario judged: its verdicts, and the metrics that call for more rounds before the verdict is final. */
export interface JudgedDuetScenario {
  verdicts: MetricVerdict[];
  /** Metrics whose regression fails and that regressed or leaned worse on the rounds: reasons to extend. */
  flagged: string[];
}

const CHANGED_NOTE = 'the pull request changed this scenario: judged by the absolute limits only';

/**
 * The head's metrics of one scenario judged by their absolute limits alone: `breached`, else an
 * uncompared `pass` (what a single-arm run's verdict does with no history, but without calling
 * every metric `new`).
 */
function judgeHeadLimits(head: ScenarioResult | undefined, thresholds: Thresholds, notes: readonly string[] = []): MetricVerdict[] {
  if (!head || head.status === 'errored') return [];
  return Object.entries(head.metrics).map(([name, metric]): MetricVerdict => {
    const rule = resolveRule(thresholds, head.id, name, metric.direction);
    const common = { scenarioId: head.id, metric: name, unit: metric.unit, direction: rule.direction, severity: rule.severity, notes: [...notes], current: metric.value, relative: null };
    const limit = findBreachedLimit(metric.value, rule);
    return limit ? { ...common, kind: 'breached', limit } : { ...common, kind: 'pass' };
  });
}

function judgePairedScenario(scenario: DuetScenario, head: ScenarioResult, thresholds: Thresholds): JudgedDuetScenario {
  const flagged: string[] = [];
  const verdicts = judgeHeadLimits(head, thresholds).map((verdict): MetricVerdict => {
    if (verdict.kind !== 'pass' && verdict.kind !== 'breached') return verdict;
    const metric = head.status === 'errored' ? undefined : head.metrics[verdict.metric];
    const rule = resolveRule(thresholds, scenario.id, verdict.metric, verdict.direction);
    if (!metric || !rule.compare) return verdict;
    if (!baseHasMetric(scenario, verdict.metric)) {
      if (verdict.kind === 'breached') return verdict;
      return { ...verdict, kind: 'new', notes: [...verdict.notes, 'recorded by the head, not by the base'] };
    }
    const paired = judgeMetricPair(scenario, verdict.metric, metric, rule);
    if (isWorseOrLeaningWorse(paired) && rule.duetRegressionSeverity === 'fail') flagged.push(verdict.metric);
    if (verdict.kind === 'breached') return { ...verdict, paired };
    const common = { ...verdict, relative: null, paired };
    if (paired.outcome === 'regressed') return { ...common, kind: 'regressed', severity: rule.duetRegressionSeverity, rerun: null };
    if (paired.outcome === 'improved') return { ...common, kind: 'improved' };
    return { ...common, kind: 'pass' };
  });
  return { verdicts: [...verdicts, ...findMissingMetrics(scenario, head)], flagged };
}

/** `missing` verdicts for metrics the base measured and the head did not. */
function findMissingMetrics(scenario: DuetScenario, head: ScenarioResult): MetricVerdict[] {
  if (head.status === 'errored') return [];
  const missing = new Map<string, MetricVerdict>();
  for (const round of scenario.rounds) {
    if (!round.base || round.base.status === 'errored') continue;
    for (const [name, metric] of Object.entries(round.base.metrics)) {
      if (Object.hasOwn(head.metrics, name) || missing.has(name)) continue;
      const notes = ['recorded by the base, not by the head'];
      missing.set(name, { scenarioId: scenario.id, metric: name, unit: metric.unit, direction: metric.direction, severity: 'warn', notes, kind: 'missing', baseline: metric.value });
    }
  }
  return [...missing.values()];
}

/** Why an arm errored, as the head's error when it has one, else the first failure of either arm. */
function erroredVerdict(scenario: DuetScenario, head: ScenarioResult | undefined): MetricVerdict {
  const error =
    head?.status === 'errored'
      ? head.error
      : { name: 'DuetArmError', message: Object.entries(scenario.errors ?? {}).map(([arm, message]) => `the ${arm} arm: ${message}`).join('; ') || 'an arm errored' };
  return { scenarioId: scenario.id, metric: '*', unit: null, direction: 'lower', severity: 'fail', notes: [], kind: 'errored', error };
}

/**
 * The verdicts of one duet scenario; `head` is its folded head result (undefined when the head does
 * not have it). Used for the run's verdict and, scenario by scenario while the run goes on, to
 * decide which scenarios get more rounds.
 */
export function judgeDuetScenario(scenario: DuetScenario, head: ScenarioResult | undefined, thresholds: Thresholds): JudgedDuetScenario {
  switch (scenario.status) {
    case 'errored': {
      const breaches = judgeHeadLimits(head, thresholds).filter((v) => v.kind === 'breached');
      return { verdicts: [erroredVerdict(scenario, head), ...breaches], flagged: [] };
    }
    case 'missing': {
      const notes = ['in the base, not in the head'];
      return { verdicts: [{ scenarioId: scenario.id, metric: '*', unit: null, direction: 'lower', severity: 'warn', notes, kind: 'missing', baseline: null }], flagged: [] };
    }
    case 'new': {
      const verdicts = judgeHeadLimits(head, thresholds, ['in the head, not in the base']);
      return { verdicts: verdicts.map((v): MetricVerdict => (v.kind === 'pass' ? { ...v, kind: 'new' } : v)), flagged: [] };
    }
    case 'changed':
      return { verdicts: judgeHeadLimits(head, thresholds, [CHANGED_NOTE]), flagged: [] };
    case 'paired':
      return head ? judgePairedScenario(scenario, head, thresholds) : { verdicts: [], flagged: [] };
  }
}

function toFigures(scenario: DuetScenario): DuetScenarioFigures {
  const arm = (result: ScenarioResult | undefined) =>
    result ? { status: result.status, metrics: Object.fromEntries(Object.entries(result.metrics).map(([name, m]) => [name, m.value])) } : null;
  return {
    scenarioId: scenario.id,
    status: scenario.status,
    rounds: scenario.rounds.length,
    extendedBy: scenario.extendedBy ?? 0,
    figures: scenario.rounds.map((r) => ({ round: r.round, order: [...r.order], head: arm(r.head), base: arm(r.base) })),
  };
}

function summarizeDuet(duet: DuetRun): DuetSummary {
  // Scenarios run once per arm (one round) say nothing about how far the paired ones were cut.
  const paired = duet.scenarios.filter((s) => s.status === 'paired' && s.rounds.length > 1).map((s) => s.rounds.length - (s.extendedBy ?? 0));
  return {
    headSha: duet.run.headSha ?? null,
    baseSha: duet.run.baseSha ?? null,
    rounds: duet.run.rounds,
    roundsRun: { min: paired.length > 0 ? Math.min(...paired) : 0, max: paired.length > 0 ? Math.max(...paired) : 0 },
    changed: duet.scenarios.filter((s) => s.definition === 'changed').map((s) => s.id),
    extended: duet.scenarios.filter((s) => (s.extendedBy ?? 0) > 0).map((s) => s.id),
    timings: { preparation: duet.timings.preparation ?? null, setupMs: { ...duet.timings.setupMs }, wallMs: duet.timings.wallMs },
    scenarios: duet.scenarios.map(toFigures),
  };
}

/** The base arm's cost section to compare the head's with, or why there is none. */
function baseCost(duet: DuetRun): CostJudgeInput['base'] {
  const cost = duet.arms.base.cost;
  if (!cost) return { reason: 'the run counted no costs' };
  if (cost.kind === 'unavailable') return { reason: `the base arm counted no costs: ${cost.reason}` };
  if (!cost.section) return { reason: 'the base arm had no operation to count' };
  return { section: cost.section, against: { kind: 'base' } };
}

/**
 * Judges a duet run: a verdict per scenario metric (head against base), the head's failed checks,
 * the trend chart over the history (when given) and the outcome. Pure.
 */
export function judgeDuet(input: DuetJudgeInput): Comparison {
  const { duet, head, thresholds } = input;
  const heads = new Map(head.scenarios.map((s) => [s.id, s]));
  const verdicts = duet.scenarios.flatMap((s) => judgeDuetScenario(s, heads.get(s.id), thresholds).verdicts);
  const cost = judgeCost({ head: head.cost, base: baseCost(duet), thresholds });
  const failedChecks: FailedCheck[] = [
    ...head.scenarios.flatMap((s) =>
      s.checks.filter((check) => !check.passed).map((check): FailedCheck => ({ scenarioId: s.id, check, severity: 'fail' })),
    ),
    ...growthFailedChecks(cost),
  ];
  const history = input.history ?? [];
  return {
    mode: 'duet',
    duet: summarizeDuet(duet),
    run: head.run,
    totalMs: duet.timings.wallMs,
    environment: head.environment,
    fingerprint: { differences: [], policy: thresholds.comparison.fingerprintMismatch, excludedRuns: 0 },
    calibration: { current: head.calibration, reference: 'rawGetById.p50', baselineReference: null, factor: null },
    history: { runs: history.length, shas: history.map((r) => r.run.gitSha ?? null), minHistory: thresholds.comparison.minHistory },
    verdicts,
    failedChecks,
    trends: buildTrends(history, head, input.keyLatencies ?? DEFAULT_KEY_LATENCIES, verdicts),
    outcome: computeOutcome(verdicts, failedChecks, cost),
    ...(cost ? { cost } : {}),
  };
}
