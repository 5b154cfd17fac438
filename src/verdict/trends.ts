import type { ResultsDocument } from '../results/types.js';
import type { Trend } from './types.js';

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

function readValue(doc: ResultsDocument, key: KeyLatency): number | null {
  const scenario = doc.scenarios.find((s) => s.id === key.scenarioId && s.status !== 'errored');
  return scenario?.metrics[key.metric]?.value ?? null;
}

/**
 * Each key latency over the history (oldest first) and this run. A trend with a gap (the scenario
 * errored or did not run) is left out rather than drawn through zero.
 */
export function buildTrends(
  history: readonly ResultsDocument[],
  current: ResultsDocument,
  keys: readonly KeyLatency[],
): Trend[] {
  const runs = [...history].reverse();
  const labels = [...runs.map((run, i) => run.run.gitSha?.slice(0, 7) ?? `run ${i + 1}`), 'this run'];
  return keys
    .map((key) => ({ ...key, labels, values: [...runs, current].map((doc) => readValue(doc, key)) }))
    .filter((trend) => trend.values.every((v) => v !== null));
}
