import { medianOf, standardErrorOf } from '../common/statistics.js';
import type { Metric, ResultsDocument, ScenarioResult } from '../results/types.js';
import { calibrateValue, computeBaselineReference, computeSpeedFactor, isCalibratedUnit } from './calibration.js';
import { selectHistory } from './fingerprint.js';
import { buildRelativeEvidence, findBreachedLimit, judgeRelative, type ViewInput } from './judge-metric.js';
import { growthFailedChecks, judgeCost, pickCostBaseline } from './cost-verdict.js';
import { computeOutcome } from './outcome.js';
import { resolveRule, type Thresholds } from './thresholds.js';
import { buildTrends, DEFAULT_KEY_LATENCIES, type KeyLatency } from './trends.js';
import type { Comparison, FailedCheck, FingerprintDifference, MetricVerdict } from './types.js';

/** What compareToBaseline needs; all of it is passed in, nothing is read from the world. */
export interface CompareInput {
  current: ResultsDocument;
  /** Baseline runs, newest first; only the newest `thresholds.history` are used. */
  history: readonly ResultsDocument[];
  thresholds: Thresholds;
  /** Metrics charted over the history window after the flagged latencies (default: the CRUD and query latencies). */
  keyLatencies?: readonly KeyLatency[];
}

/** One history run, indexed, with its machine-speed factor. */
interface IndexedRun {
  scenarios: Map<string, ScenarioResult>;
  factor: number | null;
}

interface Context {
  thresholds: Thresholds;
  runs: IndexedRun[];
  currentFactor: number | null;
}

function indexRun(doc: ResultsDocument, baselineReference: number | null): IndexedRun {
  const scenarios = new Map(doc.scenarios.filter((s) => s.status !== 'errored').map((s) => [s.id, s]));
  return { scenarios, factor: computeSpeedFactor(doc, baselineReference) };
}

/** The raw and (where the unit allows) calibrated views of one metric. */
function buildViews(ctx: Context, scenario: ScenarioResult, name: string, metric: Metric): [ViewInput, ViewInput | null] {
  const points = ctx.runs.flatMap((run) => {
    const value = run.scenarios.get(scenario.id)?.metrics[name]?.value;
    return value === undefined ? [] : [{ value, factor: run.factor }];
  });
  const samples = name === 'avg_ms' ? (scenario.samples?.values ?? []) : [];
  const se = standardErrorOf(samples);
  const raw: ViewInput = { history: points.map((p) => p.value), current: metric.value, withinRunSe: se };
  const scenarioPoints = scenarioReferencePoints(ctx, scenario, name);
  const factor = scenarioPoints ? scenarioPoints.current : ctx.currentFactor;
  const factors = scenarioPoints ? scenarioPoints.history : points.map((p) => p.factor);
  const calibratable = isCalibratedUnit(metric.unit) && factor !== null && factors.every((f) => f !== null);
  if (!calibratable) return [raw, null];
  return [
    raw,
    {
      history: points.map((p, i) => calibrateValue(p.value, metric.unit, factors[i] as number)),
      current: calibrateValue(metric.value, metric.unit, factor),
      withinRunSe: se / factor,
    },
  ];
}

/**
 * Speed factors from the scenario's own reference (raw pg timed right around it), when this run
 * and every history run that has the metric recorded one: the machine's speed at the moment the
 * scenario ran, which tracks a shared runner far better than one calibration at the start of the run.
 */
function scenarioReferencePoints(
  ctx: Context,
  scenario: ScenarioResult,
  name: string,
): { current: number; history: number[] } | null {
  const current = scenario.metrics.reference_ms?.value;
  if (!current || current <= 0) return null;
  const history: number[] = [];
  for (const run of ctx.runs) {
    const past = run.scenarios.get(scenario.id);
    if (past?.metrics[name] === undefined) continue;
    const reference = past.metrics.reference_ms?.value;
    if (!reference || reference <= 0) return null;
    history.push(reference);
  }
  if (history.length === 0) return null;
  const median = medianOf(history);
  return { current: current / median, history: history.map((r) => r / median) };
}

/** The verdict on one metric of one current scenario. */
function judgeMetric(ctx: Context, scenario: ScenarioResult, name: string, metric: Metric): MetricVerdict {
  const rule = resolveRule(ctx.thresholds, scenario.id, name, metric.direction);
  const base = { scenarioId: scenario.id, metric: name, unit: metric.unit, direction: rule.direction };
  const head = { ...base, severity: rule.severity, notes: [] as string[], current: metric.value };
  const [raw, calibrated] = buildViews(ctx, scenario, name, metric);
  const limit = findBreachedLimit(metric.value, rule);
  if (raw.history.length === 0) {
    return limit ? { ...head, kind: 'breached', limit, relative: null } : { ...head, kind: 'new' };
  }
  const relative = rule.compare
    ? buildRelativeEvidence({ raw, calibrated, rule, settings: ctx.thresholds.comparison })
    : null;
  if (relative?.modeReason) head.notes.push(relative.modeReason);
  if (limit) return { ...head, kind: 'breached', limit, relative };
  const judgement = relative ? judgeRelative(relative) : 'same';
  if (relative && judgement === 'worse') return { ...head, severity: rule.regressionSeverity, kind: 'regressed', relative, rerun: null };
  if (relative && judgement === 'better') return { ...head, kind: 'improved', relative };
  return { ...head, kind: 'pass', relative };
}

/** Verdicts for one current scenario: one per metric, or one `errored`. */
function judgeScenario(ctx: Context, scenario: ScenarioResult): MetricVerdict[] {
  if (scenario.status === 'errored') {
    const head = { scenarioId: scenario.id, metric: '*', unit: null, direction: 'lower' as const, notes: [] };
    return [{ ...head, severity: 'fail', kind: 'errored', error: scenario.error }];
  }
  const verdicts = Object.entries(scenario.metrics).map(([name, metric]) => judgeMetric(ctx, scenario, name, metric));
  const newest = ctx.runs.find((run) => run.scenarios.has(scenario.id))?.scenarios.get(scenario.id);
  for (const [name, metric] of Object.entries(newest?.metrics ?? {})) {
    if (Object.hasOwn(scenario.metrics, name)) continue;
    const head = { scenarioId: scenario.id, metric: name, unit: metric.unit, direction: metric.direction };
    verdicts.push({ ...head, severity: 'warn', notes: ['recorded by the baseline, not by this run'], kind: 'missing', baseline: metric.value });
  }
  return verdicts;
}

/** `missing` verdicts for scenarios the history has and this run does not. */
function findMissingScenarios(ctx: Context, current: ResultsDocument): MetricVerdict[] {
  const present = new Set(current.scenarios.map((s) => s.id));
  const ids = [...new Set(ctx.runs.flatMap((run) => [...run.scenarios.keys()]))].filter((id) => !present.has(id));
  return ids.map((id) => ({
    scenarioId: id,
    metric: '*',
    unit: null,
    direction: 'lower',
    severity: 'warn',
    notes: ['in the baseline, not in this run'],
    kind: 'missing',
    baseline: null,
  }));
}

/** Turns failing relative regressions into warnings when the environment is not like for like. */
function applyFingerprintPolicy(
  verdicts: MetricVerdict[],
  differences: readonly FingerprintDifference[],
  policy: Thresholds['comparison']['fingerprintMismatch'],
): MetricVerdict[] {
  if (differences.length === 0 || policy === 'fail') return verdicts;
  const what = differences.map((d) => `${d.field} ${d.baseline} -> ${d.current}`).join(', ');
  return verdicts.map((v) =>
    v.kind === 'regressed' && v.severity === 'fail'
      ? { ...v, severity: 'warn', notes: [...v.notes, `environment differs from the baseline (${what}): downgraded to a warning`] }
      : v,
  );
}

/**
 * Compares a run with its baseline history and returns a verdict per scenario metric, the failed
 * scenario checks, the trends of key latencies and the overall outcome. Pure.
 */
export function compareToBaseline(input: CompareInput): Comparison {
  const { current, thresholds } = input;
  const settings = thresholds.comparison;
  const selection = selectHistory(input.history.slice(0, thresholds.history), current.environment, settings.minHistory);
  const baselineReference = computeBaselineReference(selection.runs);
  const ctx: Context = {
    thresholds,
    runs: selection.runs.map((doc) => indexRun(doc, baselineReference)),
    currentFactor: computeSpeedFactor(current, baselineReference),
  };
  const judged = [...current.scenarios.flatMap((s) => judgeScenario(ctx, s)), ...findMissingScenarios(ctx, current)];
  const verdicts = applyFingerprintPolicy(judged, selection.differences, settings.fingerprintMismatch);
  const cost = judgeCost({ head: current.cost, base: pickCostBaseline(current, input.history), thresholds });
  const failedChecks: FailedCheck[] = [
    ...current.scenarios.flatMap((s) =>
      s.checks.filter((check) => !check.passed).map((check): FailedCheck => ({ scenarioId: s.id, check, severity: 'fail' })),
    ),
    ...growthFailedChecks(cost),
  ];
  return {
    mode: 'history',
    run: current.run,
    totalMs: current.timings.totalMs,
    environment: current.environment,
    fingerprint: { differences: selection.differences, policy: settings.fingerprintMismatch, excludedRuns: selection.excludedRuns },
    calibration: { current: current.calibration, reference: 'rawGetById.p50', baselineReference, factor: ctx.currentFactor },
    history: { runs: selection.runs.length, shas: selection.runs.map((r) => r.run.gitSha ?? null), minHistory: settings.minHistory },
    verdicts,
    failedChecks,
    trends: buildTrends(selection.runs, current, input.keyLatencies ?? DEFAULT_KEY_LATENCIES, verdicts),
    outcome: computeOutcome(verdicts, failedChecks, cost),
    ...(cost ? { cost } : {}),
  };
}
