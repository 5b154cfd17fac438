/**
 * Folds the head arm's rounds of one scenario into one scenario result, as a single-arm run would
 * have reported it, for the absolute limits and the specification's checks (pure).
 *
 * Metrics: the median over rounds for percentiles (p50, p95, p99) and ops/sec, whose per-round
 * values are already order statistics or ratios of a share of the work; the fastest and slowest
 * call over all rounds for min_ms and max_ms; for the per-call figures avg_ms, error_rate and
 * cpu_per_call_ms, the mean over all calls (each round weighted by its `total` calls, as a single run over all of them
 * would have it: a round of one slow call no longer counts as much as a round of forty); the mean
 * over rounds for everything else (counts per round, memory figures, and per-call figures of rounds
 * that did not count their calls). Checks: a check that counts something fails if it
 * failed in any round; a timing check (durations compared within the run) fails only if it failed
 * in more than half the rounds, the rounds acting as its confirmation, and reports the median of
 * its measured values. Any errored round makes the scenario errored.
 */
import type { Check, Metric, ScenarioResult, Samples } from '../results/types.js';
import { DEFAULT_RESERVOIR_CAPACITY } from '../suites/harness/reservoir.js';
import { maxOf, meanOf, minOf, percentileOf } from '../common/statistics.js';
import type { DuetScenario } from './duet-types.js';
import { erroredResult } from './errored-result.js';

type Fold = 'median' | 'min' | 'max' | 'mean';

/** How a metric's per-round values become one value. */
export function foldOf(name: string, metric: Metric): Fold {
  if (/^p\d+_ms$/.test(name) || metric.unit === 'ops/s') return 'median';
  if (name === 'min_ms') return 'min';
  if (name === 'max_ms') return 'max';
  return 'mean';
}

/** One value from a metric's per-round values, by its fold. */
export function foldValues(fold: Fold, values: number[]): number {
  switch (fold) {
    case 'median':
      return percentileOf(values, 50);
    case 'min':
      return minOf(values);
    case 'max':
      return maxOf(values);
    case 'mean':
      return meanOf(values);
  }
}

/** Figures that are a mean over a round's calls: folded over all calls when every round counted them. */
const PER_CALL = new Set(['avg_ms', 'error_rate', 'cpu_per_call_ms']);

/** The mean of `name` over all calls of the rounds, or undefined when a round has no positive `total`. */
function foldPerCall(rounds: readonly ScenarioResult[], name: string): number | undefined {
  let weighted = 0;
  let calls = 0;
  for (const round of rounds) {
    const value = round.metrics[name]?.value;
    if (value === undefined) continue;
    const total = round.metrics.total?.value;
    if (total === undefined || !(total > 0)) return undefined;
    weighted += value * total;
    calls += total;
  }
  return calls > 0 ? weighted / calls : undefined;
}

function foldMetrics(rounds: readonly ScenarioResult[]): Record<string, Metric> {
  const names = [...new Set(rounds.flatMap((r) => Object.keys(r.metrics)))];
  return Object.fromEntries(
    names.map((name) => {
      const present = rounds.map((r) => r.metrics[name]).filter((m): m is Metric => m !== undefined);
      const first = present[0]!;
      const perCall = PER_CALL.has(name) ? foldPerCall(rounds, name) : undefined;
      return [name, { ...first, value: perCall ?? foldValues(foldOf(name, first), present.map((m) => m.value)) }];
    }),
  );
}

function medianMeasured(checks: readonly Check[]): Check['measured'] {
  const numbers = checks.map((c) => c.measured).filter((m): m is number => typeof m === 'number');
  return numbers.length === checks.length ? percentileOf(numbers, 50) : checks[Math.floor((checks.length - 1) / 2)]!.measured;
}

function foldCheck(checks: readonly Check[]): Check {
  const first = checks[0]!;
  const failed = checks.filter((c) => !c.passed);
  if (first.timing) {
    const passed = failed.length * 2 <= checks.length;
    return { ...first, passed, measured: medianMeasured(checks) };
  }
  const shown = failed[0] ?? first;
  return { ...shown, passed: failed.length === 0, measured: failed.length > 0 ? shown.measured : medianMeasured(checks) };
}

/** Checks by name, in the order the first round recorded them (later rounds' extra names after). */
function foldChecks(rounds: readonly ScenarioResult[]): Check[] {
  const byName = new Map<string, Check[]>();
  for (const round of rounds) {
    for (const check of round.checks) byName.set(check.name, [...(byName.get(check.name) ?? []), check]);
  }
  return [...byName.values()].map(foldCheck);
}

/** Every round's kept latencies, thinned evenly to one reservoir's capacity. */
function foldSamples(rounds: readonly ScenarioResult[]): Samples | undefined {
  const all = rounds.map((r) => r.samples).filter((s): s is Samples => s !== undefined);
  if (all.length === 0) return undefined;
  const values = all.flatMap((s) => s.values);
  const step = values.length / DEFAULT_RESERVOIR_CAPACITY;
  const kept = step <= 1 ? values : Array.from({ length: DEFAULT_RESERVOIR_CAPACITY }, (_, i) => values[Math.floor(i * step)]!);
  return { unit: 'ms', observed: all.reduce((sum, s) => sum + s.observed, 0), values: kept };
}

/**
 * The head's rounds of `scenario` as one result; undefined when the head does not have the
 * scenario (`missing`). A head with no round result (its worker was unavailable) gives an errored
 * result with the reason.
 */
export function foldHeadRounds(scenario: DuetScenario): ScenarioResult | undefined {
  if (scenario.definition === 'base-only') return undefined;
  const rounds = scenario.rounds.map((r) => r.head).filter((r): r is ScenarioResult => r !== undefined);
  const wallMs = rounds.reduce((sum, r) => sum + r.wallMs, 0);
  const first = rounds[0];
  const identity = { id: scenario.id, category: scenario.category, params: { ...first?.params, rounds: rounds.length } };
  if (!first) return erroredResult(identity, scenario.errors?.head ?? 'the head arm produced no round');
  const errored = rounds.find((r) => r.status === 'errored');
  if (errored?.status === 'errored') return { ...identity, status: 'errored', error: errored.error, checks: [], metrics: {}, wallMs };
  const checks = foldChecks(rounds);
  const samples = foldSamples(rounds);
  const base = { ...identity, checks, metrics: foldMetrics(rounds), ...(samples ? { samples } : {}), wallMs };
  return checks.every((c) => c.passed) ? { ...base, status: 'passed' } : { ...base, status: 'failed' };
}
