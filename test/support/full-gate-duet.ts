/**
 * The full gate as a duet: every scenario of the recorded run (full-gate-run.json) measured by both
 * arms in 16 alternating rounds, each round's values the recorded ones times a machine factor the two
 * arms of a round share and a jitter of their own, judged with the repository's thresholds.json.
 * The head has failing rows (real regressions, a breach, failed checks, an errored base arm, a
 * scenario whose definition changed), so tests of the comment measure what a PR gets at full size.
 */
import type { DuetRun, DuetScenario } from '../../src/duet/duet-types.js';
import { buildHeadDocument } from '../../src/duet/head-document.js';
import { roundOrder } from '../../src/duet/round-loop.js';
import type { Category, Check, ScenarioResult } from '../../src/results/types.js';
import { judgeDuet } from '../../src/duet/paired-compare.js';
import type { Comparison } from '../../src/verdict/types.js';
import { readFullGateRun, readRepoThresholds, type RecordedScenario } from './full-gate-fixtures.js';
import { createRng, drawNormal, makeCalibration, makeEnvironment, makeScenario } from './results-fixtures.js';

export const DUET_ROUNDS = 16;
/** Latencies the head makes slower in every round (multipliers). */
const SLOWER: Record<string, number> = {
  'bench.crud.get_by_id': 1.25,
  'bench.query.filtered': 1.3,
  'pooling.high_load': 1.5,
};
const BREACH = { scenarioId: 'pooling.normal_load', metric: 'avg_ms', value: 140 };
const FAILING_CHECKS: Record<string, string> = { 'sessions.pool_leak': 'no_sessions_leaked', 'bench.pagination:100': 'scales_linearly' };
const BASE_ERRORED = 'retry.timeout';
const CHANGED = 'bench.complex.join';

/** Latency-like metrics move with the machine; everything else is as recorded. */
const MOVES_WITH_MACHINE = /_ms$/;

function roundValues(rng: () => number, recorded: RecordedScenario, machine: number, slower: number): Record<string, number> {
  const jitter = Math.exp(0.03 * drawNormal(rng));
  return Object.fromEntries(
    Object.entries(recorded.metrics).map(([name, value]) => [name, MOVES_WITH_MACHINE.test(name) ? value * machine * jitter * slower : value]),
  );
}

function headChecks(recorded: RecordedScenario): Check[] {
  const failing = FAILING_CHECKS[recorded.id];
  return recorded.checks.map((c) => (c.name === failing ? { ...c, passed: false, measured: c.timing ? 1.41 : 2 } : { ...c }));
}

function armResult(recorded: RecordedScenario, values: Record<string, number>, checks: Check[]): ScenarioResult {
  const status = checks.every((c) => c.passed) ? 'passed' : 'failed';
  return makeScenario(recorded.id, values, { params: recorded.params, checks, status, wallMs: recorded.wallMs / DUET_ROUNDS });
}

function makeDuetScenario(rng: () => number, recorded: RecordedScenario): DuetScenario {
  const rounds = Array.from({ length: DUET_ROUNDS }, (_, round) => {
    const machine = Math.exp(0.05 * drawNormal(rng));
    const headValues = roundValues(rng, recorded, machine, SLOWER[recorded.id] ?? 1);
    if (recorded.id === BREACH.scenarioId) headValues[BREACH.metric] = BREACH.value;
    const head = armResult(recorded, headValues, headChecks(recorded));
    const base = recorded.id === BASE_ERRORED && round === 3 ? undefined : armResult(recorded, roundValues(rng, recorded, machine, 1), recorded.checks);
    return { round, order: roundOrder(round), head, ...(base ? { base } : {}) };
  });
  const category = recorded.id.split('.')[0] as Category;
  const common = { id: recorded.id, category, rounds };
  if (recorded.id === BASE_ERRORED) return { ...common, status: 'errored', definition: 'same', errors: { base: 'the base worker (pid 4711) exited with code 70' } };
  if (recorded.id === CHANGED) return { ...common, status: 'changed', definition: 'changed' };
  return { ...common, status: 'paired', definition: 'same' };
}

/** The full gate's duet run. */
export function makeFullGateDuet(seed = 51): DuetRun {
  const rng = createRng(seed);
  const recorded = readFullGateRun();
  return {
    schemaVersion: 1,
    run: { headSha: 'c'.repeat(40), baseSha: 'b'.repeat(40), startedAt: '2026-01-02T00:00:00.000Z', finishedAt: '2026-01-02T00:01:40.000Z', rounds: DUET_ROUNDS, seed, seedUsers: 10_000, scale: 1 },
    timings: {
      preparation: { headMs: 1800, baseMs: 40 },
      setupMs: { head: 1700, base: 1800 },
      wallMs: 100_000,
      categories: { pooling: 9000, retry: 16_000, sessions: 12_000, bench: 60_000 },
    },
    arms: {
      head: { toolVersion: '0.1.0', database: 'database perf_gate_duet_x_head', fingerprint: makeEnvironment(), restarts: 0, calibration: makeCalibration() },
      base: { toolVersion: '0.1.0', database: 'database perf_gate_duet_x_base', fingerprint: makeEnvironment(), restarts: 1 },
    },
    scenarios: recorded.map((r) => makeDuetScenario(rng, r)),
  };
}

/** The comparison a pull request of the full gate gets from a duet, with the repository's thresholds. */
export function makeFullGateDuetComparison(): Comparison {
  const duet = makeFullGateDuet();
  return judgeDuet({ duet, head: buildHeadDocument(duet), thresholds: readRepoThresholds() });
}
