import type { ResultsDocument } from '../results/types.js';
import type { MetricVerdict, Trend } from './types.js';

/** A metric of a scenario worth charting over the history window. */
export interface KeyLatency {
  scenarioId: string;
  metric: string;
}

/** The hot-path latencies thresholds.json sets absolute targets for (docs/scenarios.md). */
export const DEFAULT_KEY_LATENCIES: readonly KeyLatency[] = [
  { scenarioId: 'bench.crud.get_by_id', metric: 'avg_ms' },
  { scenarioId: 'bench.crud.create', metric: 'avg_ms' },
  { scenarioId: 'bench.crud.update', metric: 'avg_ms' },
  { scenarioId: 'bench.query.get_by_username', metric: 'avg_ms' },
];

/** Lines in one chart: beyond five, colours stop being told apart at a glance. */
export const MAX_TREND_LINES = 5;

/** History runs in the chart (this run is one more point): more x labels than this overlap. */
export const MAX_TREND_RUNS = 10;

/**
 * Lines share one y axis: a line whose peak is this many times smaller (or larger) than the first
 * line's would be drawn flat on the floor (or flatten the first), so it is left out.
 */
export const MAX_SCALE_RATIO = 10;

function readValue(doc: ResultsDocument, key: KeyLatency): number | null {
  const scenario = doc.scenarios.find((s) => s.id === key.scenarioId && s.status !== 'errored');
  return scenario?.metrics[key.metric]?.value ?? null;
}

/**
 * The x labels: position (1 = oldest) and short sha, so two runs of one commit (a re-run on the
 * default branch) stay two points; mermaid draws equal categories at one x.
 */
export function labelRuns(runs: readonly ResultsDocument[]): string[] {
  return [...runs.map((run, i) => (run.run.gitSha ? `${i + 1}:${run.run.gitSha.slice(0, 7)}` : `${i + 1}`)), 'this run'];
}

/** A latency (ms) that regressed or breached a limit: a line the reader needs before the key ones. */
export function isFlaggedLatency(v: MetricVerdict): boolean {
  return (v.kind === 'regressed' || v.kind === 'breached') && v.unit === 'ms';
}

/** The flagged latencies, failing ones first. */
function listFlaggedLatencies(verdicts: readonly MetricVerdict[]): KeyLatency[] {
  const flagged = verdicts.filter(isFlaggedLatency);
  const bySeverity = [...flagged.filter((v) => v.severity === 'fail'), ...flagged.filter((v) => v.severity !== 'fail')];
  return bySeverity.map(({ scenarioId, metric }) => ({ scenarioId, metric }));
}

/** Whether a line peaking at `peak` reads on the axis set by a first line peaking at `firstPeak`. */
function isOnScale(peak: number, firstPeak: number): boolean {
  return peak * MAX_SCALE_RATIO >= firstPeak && peak <= firstPeak * MAX_SCALE_RATIO;
}

/**
 * The lines of the trend chart over the newest `MAX_TREND_RUNS` history runs (oldest first) and this
 * run: regressed or breached latencies first, then the key latencies, at most `MAX_TREND_LINES`, all
 * on the first line's scale (within `MAX_SCALE_RATIO`). A metric with a gap (errored or not run
 * somewhere) is left out rather than drawn through zero.
 */
export function buildTrends(
  history: readonly ResultsDocument[],
  current: ResultsDocument,
  keys: readonly KeyLatency[],
  verdicts: readonly MetricVerdict[] = [],
): Trend[] {
  const runs = history.slice(0, MAX_TREND_RUNS).reverse();
  const labels = labelRuns(runs);
  const seen = new Set<string>();
  const trends: Trend[] = [];
  let firstPeak: number | null = null;
  for (const key of [...listFlaggedLatencies(verdicts), ...keys]) {
    const id = `${key.scenarioId}\u0000${key.metric}`;
    if (seen.has(id) || trends.length === MAX_TREND_LINES) continue;
    seen.add(id);
    const values = [...runs, current].map((doc) => readValue(doc, key));
    if (!values.every((v): v is number => v !== null)) continue;
    const peak = Math.max(...values);
    if (firstPeak !== null && !isOnScale(peak, firstPeak)) continue;
    firstPeak ??= peak;
    trends.push({ scenarioId: key.scenarioId, metric: key.metric, labels, values });
  }
  return trends;
}
