/**
 * The full gate as a pull request sees it: every scenario of the catalog with every metric and check
 * one real run recorded (full-gate-run.json), a noisy history of baseline runs made from it, and a
 * current run with failing rows (regressions held on the re-run, a breach, failed checks, an errored
 * scenario), judged by the repository's own thresholds.json. Sized like the real thing, so tests of the
 * comment's length measure what a PR of the default configuration gets.
 */
import { readFileSync } from 'node:fs';
import { parseThresholds } from '../../src/config/thresholds.js';
import type { Check, ResultsDocument, ScenarioResult } from '../../src/results/types.js';
import { compareToBaseline } from '../../src/verdict/compare.js';
import { listRerunScenarios, mergeRerun } from '../../src/verdict/rerun.js';
import type { Comparison } from '../../src/verdict/types.js';
import { createRng, makeNoisyRun, type MetricValues, type NoiseOptions, type ScenarioMeans } from './results-fixtures.js';

/** One scenario of the recorded run. */
export interface RecordedScenario {
  id: string;
  params: Record<string, number | string | boolean>;
  wallMs: number;
  metrics: MetricValues;
  checks: Check[];
}

/** The recorded run's scenarios, in run order. */
export function readFullGateRun(): RecordedScenario[] {
  const text = readFileSync(new URL('./full-gate-run.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { scenarios: RecordedScenario[] }).scenarios;
}

/** The repository's thresholds.json, as the action reads it from the base branch. */
export function readRepoThresholds(): ReturnType<typeof parseThresholds> {
  const path = new URL('../../thresholds.json', import.meta.url);
  return parseThresholds(JSON.parse(readFileSync(path, 'utf8')), 'thresholds.json');
}

/** Scenarios made slower in the current run (latency multipliers): real regressions. */
const SLOWER: Record<string, number> = {
  'bench.crud.get_by_id': 1.6,
  'bench.query.filtered': 1.5,
  'bench.concurrent.read:10': 1.45,
  'pooling.high_load': 1.5,
  'sessions.concurrent': 1.4,
};
/** A current value past an absolute limit of thresholds.json (avg_ms max 100). */
const BREACH = { scenarioId: 'pooling.normal_load', metric: 'avg_ms', value: 140 };
/** Checks the current run fails; the timing one fails again on the re-run. */
const FAILING_CHECKS: Record<string, string> = {
  'sessions.pool_leak': 'no_sessions_leaked',
  'bench.pagination:100': 'scales_linearly',
};
const ERRORED = { id: 'retry.timeout', error: { name: 'Error 57P01', message: 'terminating connection due to administrator command' } };

const NOISE: NoiseOptions = { machineSigma: 0.05, metricSigma: 0.03 };

function toMeans(recorded: readonly RecordedScenario[]): ScenarioMeans {
  return Object.fromEntries(recorded.map((s) => [s.id, s.metrics]));
}

/** A noisy run shaped like the recorded one: its params, wall times and (passing) checks. */
function makeRun(rng: () => number, recorded: readonly RecordedScenario[], index: number, options: NoiseOptions): ResultsDocument {
  const doc = makeNoisyRun(rng, toMeans(recorded), index, options);
  doc.scenarios = doc.scenarios.map((scenario, i) => {
    const source = recorded[i] as RecordedScenario;
    return { ...scenario, params: source.params, wallMs: source.wallMs, checks: source.checks.map((c) => ({ ...c })) } as ScenarioResult;
  });
  doc.timings = { ...doc.timings, totalMs: recorded.reduce((sum, s) => sum + s.wallMs, 0) };
  return doc;
}

/** Fails the named checks, breaches the limit and errors one scenario of `doc`, in place. */
function addFailures(doc: ResultsDocument): void {
  doc.scenarios = doc.scenarios.map((scenario): ScenarioResult => {
    if (scenario.id === ERRORED.id) {
      return { id: scenario.id, category: scenario.category, params: scenario.params, checks: [], metrics: {}, wallMs: scenario.wallMs, status: 'errored', error: ERRORED.error };
    }
    const failing = FAILING_CHECKS[scenario.id];
    const checks = scenario.checks.map((c) => (c.name === failing ? { ...c, passed: false, measured: c.timing ? 1.41 : 2 } : c));
    const metrics = { ...scenario.metrics };
    const breached = metrics[BREACH.metric];
    if (scenario.id === BREACH.scenarioId && breached) metrics[BREACH.metric] = { ...breached, value: BREACH.value };
    return { ...scenario, checks, metrics, status: checks.every((c) => c.passed) ? 'passed' : 'failed' } as ScenarioResult;
  });
}

/** A history of `historyRuns` baseline runs, newest first, and the current run with its failures. */
export function makeFullGateRuns(historyRuns = 10, seed = 51): { history: ResultsDocument[]; current: ResultsDocument; rerun: ResultsDocument } {
  const recorded = readFullGateRun();
  const rng = createRng(seed);
  const history = Array.from({ length: historyRuns }, (_, i) => makeRun(rng, recorded, i, NOISE)).reverse();
  const current = makeRun(rng, recorded, historyRuns, { ...NOISE, slowdown: SLOWER });
  current.run = { ...current.run, gitSha: 'c'.repeat(40), startedAt: new Date(Date.UTC(2026, 0, 2)).toISOString() };
  addFailures(current);
  const rerun = makeRun(rng, recorded, historyRuns + 1, { ...NOISE, slowdown: SLOWER });
  addFailures(rerun);
  return { history, current, rerun };
}

/**
 * The comparison a pull request of the full gate gets: judged against `historyRuns` baseline runs
 * with the repository's thresholds, the flagged scenarios re-run once, as the gate does.
 */
export function makeFullGateComparison(historyRuns = 10): Comparison {
  const thresholds = readRepoThresholds();
  const { history, current, rerun } = makeFullGateRuns(historyRuns);
  const first = compareToBaseline({ current, history, thresholds });
  const flagged = new Set(listRerunScenarios(first));
  const again = { ...rerun, scenarios: rerun.scenarios.filter((s) => flagged.has(s.id)) };
  return flagged.size === 0 ? first : mergeRerun(first, compareToBaseline({ current: again, history, thresholds }), again);
}
