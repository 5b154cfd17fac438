/**
 * Table rows of the markdown report: one per metric verdict, per failed check and per scenario.
 * Every cell from data is escaped.
 */
import { isMetricName } from '../results/metrics.js';
import { METRIC_DEFAULTS } from '../verdict/metric-defaults.js';
import type { Comparison, FailedCheck, MetricVerdict } from '../verdict/types.js';
import { escapeMarkdown } from './escape.js';
import { formatBaseline, formatChange, formatCheckOutcome, formatCurrent, formatEvidence, isCompared } from './format.js';

export const VERDICT_HEAD = ['| Scenario | Metric | Baseline | Now | Change | Evidence |', '| --- | --- | --- | --- | --- | --- |'];
export const CHECK_HEAD = ['| Scenario | Check | Expected | Measured | Outcome |', '| --- | --- | --- | --- | --- |'];
export const SCENARIO_HEAD = ['| Scenario | Metric | Baseline | Now | Change | Verdict |', '| --- | --- | --- | --- | --- | --- |'];
/** The same tables in a duet report: the base arm's value, the head's, and the change with its interval. */
export const DUET_VERDICT_HEAD = ['| Scenario | Metric | Base | Head | Change (interval) | Evidence |', '| --- | --- | --- | --- | --- | --- |'];
export const DUET_SCENARIO_HEAD = ['| Scenario | Metric | Base | Head | Change (interval) | Verdict |', '| --- | --- | --- | --- | --- | --- |'];

/** The table heads of a comparison's mode. */
export function tableHeads(comparison: Pick<Comparison, 'mode'>): { verdict: readonly string[]; scenario: readonly string[] } {
  return comparison.mode === 'duet' ? { verdict: DUET_VERDICT_HEAD, scenario: DUET_SCENARIO_HEAD } : { verdict: VERDICT_HEAD, scenario: SCENARIO_HEAD };
}

/** A table row of escaped cells. */
export function renderRow(cells: readonly string[]): string {
  return `| ${cells.map(escapeMarkdown).join(' | ')} |`;
}

/** A regression or breach that only warns. */
export function isWarning(v: MetricVerdict): boolean {
  return v.severity === 'warn' && (v.kind === 'regressed' || v.kind === 'breached');
}

/** One metric verdict with the numbers and the evidence behind it. */
export function renderVerdictRow(verdict: MetricVerdict): string {
  const evidence = [isWarning(verdict) ? 'warning' : '', formatEvidence(verdict), ...verdict.notes].filter(Boolean).join('; ');
  return renderRow([verdict.scenarioId, verdict.metric, formatBaseline(verdict), formatCurrent(verdict), formatChange(verdict), evidence]);
}

/** One failed check: expected, measured, and what its re-run made of it. */
export function renderCheckRow(failed: FailedCheck): string {
  const { check } = failed;
  return renderRow([failed.scenarioId, check.name, check.expected, String(check.measured), formatCheckOutcome(failed)]);
}

/** Whether a metric's relative regression fails the gate unless thresholds.json says otherwise. */
function decidesByDefault(metric: string): boolean {
  return isMetricName(metric) && METRIC_DEFAULTS[metric].compare && METRIC_DEFAULTS[metric].regressionSeverity === 'fail';
}

/**
 * The metric that stands for a scenario in its one-row summary: the average latency (what decides a
 * relative regression by default), else another metric whose regression fails by default (error
 * rate, memory growth), else one compared with the baseline, else a latency, else the first.
 */
export function pickDecidingVerdict(verdicts: readonly MetricVerdict[]): MetricVerdict | undefined {
  return (
    verdicts.find((v) => v.metric === 'avg_ms') ??
    verdicts.find((v) => decidesByDefault(v.metric)) ??
    verdicts.find(isCompared) ??
    verdicts.find((v) => v.unit === 'ms') ??
    verdicts[0]
  );
}

/** Names, the first few of them and how many more. */
function listNames(names: readonly string[], shown = 3): string {
  const more = names.length - shown;
  return more > 0 ? `${names.slice(0, shown).join(', ')} +${more} more` : names.join(', ');
}

/**
 * The scenario's verdict in a few words: the worst of its metrics and checks, and what they are;
 * `attention` when something fails or warns.
 */
/** Metrics of a duet scenario whose estimate is beyond the margin on the worse side, not yet shown by the interval. */
function listLeaningWorse(verdicts: readonly MetricVerdict[]): string[] {
  return verdicts.filter((v) => v.kind === 'pass' && v.paired?.outcome === 'inconclusive' && v.paired.leaning === 'worse').map((v) => v.metric);
}

function summarizeScenario(
  verdicts: readonly MetricVerdict[],
  failedChecks: readonly FailedCheck[],
  duet: { changed: boolean } | undefined,
): { text: string; attention: boolean } {
  if (verdicts.some((v) => v.kind === 'errored')) return { text: '❌ errored', attention: true };
  const fails = [
    ...verdicts.filter((v) => (v.kind === 'regressed' || v.kind === 'breached') && v.severity === 'fail').map((v) => `${v.metric} ${v.kind}`),
    ...failedChecks.filter((f) => f.severity === 'fail').map((f) => `check ${f.check.name}`),
  ];
  const warnings = [
    ...verdicts.filter(isWarning).map((v) => `${v.metric} ${v.kind}`),
    ...failedChecks.filter((f) => f.severity === 'warn').map((f) => `check ${f.check.name}`),
    ...verdicts.filter((v) => v.kind === 'missing').map((v) => (v.metric === '*' ? 'missing' : `${v.metric} missing`)),
  ];
  const parts = [fails.length > 0 ? `❌ ${listNames(fails)}` : '', warnings.length > 0 ? `⚠️ ${listNames(warnings)}` : ''].filter(Boolean);
  if (parts.length > 0) return { text: parts.join('; '), attention: true };
  if (duet?.changed) return { text: 'pass (definition changed: absolute limits only)', attention: false };
  const leaning = listLeaningWorse(verdicts);
  if (leaning.length > 0) return { text: `pass (inconclusive, leaning worse: ${listNames(leaning)})`, attention: false };
  const improved = verdicts.filter((v) => v.kind === 'improved').map((v) => v.metric);
  if (improved.length > 0) return { text: `improved: ${listNames(improved)}`, attention: false };
  if (verdicts.every((v) => v.kind === 'new')) return { text: duet ? 'new (not in the base)' : 'new (no baseline)', attention: false };
  return { text: 'pass', attention: false };
}

/** One scenario's row, and whether something in it fails or warns (kept longest when rows are left out). */
export interface ScenarioRow {
  scenarioId: string;
  row: string;
  attention: boolean;
}

/**
 * The cells of a scenario row's metric columns: the deciding verdict's, and when it is the wall time
 * (avg_ms) and the scenario measured the client's CPU per call, that beside it (`a / b` in each cell),
 * so the comment shows where a change of the call's time went.
 */
function metricCells(deciding: MetricVerdict, verdicts: readonly MetricVerdict[]): string[] {
  const cells = (v: MetricVerdict) => [v.metric === '*' ? '–' : v.metric, formatBaseline(v), v.kind === 'errored' ? 'errored' : formatCurrent(v), formatChange(v)];
  const own = cells(deciding);
  const cpu = deciding.metric === 'avg_ms' ? verdicts.find((v) => v.metric === 'cpu_per_call_ms' && v.kind !== 'missing') : undefined;
  if (!cpu) return own;
  const beside = cells(cpu);
  return own.map((cell, i) => (i === 3 && cell === '' && beside[3] === '' ? '' : `${cell || '–'} / ${beside[i] || '–'}`));
}

/** One row per scenario, in run order: its deciding metric's numbers and the scenario's verdict. */
export function renderScenarioRows(comparison: Comparison): ScenarioRow[] {
  const byScenario = new Map<string, MetricVerdict[]>();
  for (const verdict of comparison.verdicts) byScenario.set(verdict.scenarioId, [...(byScenario.get(verdict.scenarioId) ?? []), verdict]);
  return [...byScenario].map(([scenarioId, verdicts]) => {
    const checks = comparison.failedChecks.filter((f) => f.scenarioId === scenarioId);
    const duet = comparison.duet && { changed: comparison.duet.changed.includes(scenarioId) };
    const summary = summarizeScenario(verdicts, checks, duet);
    const deciding = pickDecidingVerdict(verdicts) as MetricVerdict;
    const row = renderRow([scenarioId, ...metricCells(deciding, verdicts), summary.text]);
    return { scenarioId, row, attention: summary.attention };
  });
}
