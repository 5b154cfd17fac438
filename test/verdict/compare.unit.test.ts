import { describe, expect, it } from 'vitest';
import { parseThresholds } from '../../src/config/thresholds.js';
import type { Thresholds } from '../../src/verdict/thresholds.js';
import { compareToBaseline } from '../../src/verdict/compare.js';
import { listRerunScenarios, mergeRerun } from '../../src/verdict/rerun.js';
import type { Comparison, MetricVerdict } from '../../src/verdict/types.js';
import {
  createRng,
  makeCalibration,
  makeEnvironment,
  makeNoisyHistory,
  makeNoisyRun,
  makeResults,
  makeScenario,
  TYPICAL_MEANS,
} from '../support/results-fixtures.js';

const thresholds = parseThresholds(
  { scenarios: { 'bench.crud.get_by_id': { avg_ms: { max: 10 } }, 'pooling.normal_load': { error_rate: { max: 0.01 } } } },
  'test thresholds',
);

function findVerdict(comparison: Comparison, scenarioId: string, metric: string): MetricVerdict {
  const verdict = comparison.verdicts.find((v) => v.scenarioId === scenarioId && v.metric === metric);
  if (!verdict) throw new Error(`no verdict for ${scenarioId} ${metric}`);
  return verdict;
}

/** A history of `values` for get_by_id avg_ms on identical machines, newest first. */
function makeFlatHistory(values: number[], environment = makeEnvironment()) {
  return values.map((v, i) =>
    makeResults({ sha: String(i).repeat(40).slice(0, 40), environment, scenarios: [makeScenario('bench.crud.get_by_id', { avg_ms: v })] }),
  );
}

function compareGetById(value: number, history: ReturnType<typeof makeFlatHistory>, t: Thresholds = thresholds, environment = makeEnvironment()) {
  return runGetById(value, history, t, environment).comparison;
}

/** A run with get_by_id at `value`, and its comparison with `history`. */
function runGetById(value: number, history: ReturnType<typeof makeFlatHistory>, t: Thresholds = thresholds, environment = makeEnvironment()) {
  const current = makeResults({ environment, scenarios: [makeScenario('bench.crud.get_by_id', { avg_ms: value })] });
  return { current, comparison: compareToBaseline({ current, history, thresholds: t }) };
}

/** Runs the gate as the action does: compare, re-run flagged scenarios once, merge. */
function runGate(seed: number, slowdown?: Record<string, number>): boolean {
  const noise = { machineSigma: 0.1, metricSigma: 0.04 };
  const history = makeNoisyHistory(seed, 10, TYPICAL_MEANS, noise);
  const rng = createRng(seed * 7919);
  const first = compareToBaseline({ current: makeNoisyRun(rng, TYPICAL_MEANS, 99, { ...noise, slowdown }), history, thresholds });
  if (listRerunScenarios(first).length === 0) return first.outcome.kind === 'fail';
  const again = makeNoisyRun(rng, TYPICAL_MEANS, 99, { ...noise, slowdown });
  return mergeRerun(first, compareToBaseline({ current: again, history, thresholds }), again).outcome.kind === 'fail';
}

describe('compareToBaseline', () => {
  it('passes A/A comparisons on a noisy runner (at most 1 failing run in 20)', () => {
    const failing = Array.from({ length: 20 }, (_, i) => runGate(i + 1)).filter(Boolean).length;
    expect(failing).toBeLessThanOrEqual(1);
  });

  it('catches +30% on get_by_id avg with realistic noise (at least 19 in 20)', () => {
    const caught = Array.from({ length: 20 }, (_, i) => runGate(i + 1, { 'bench.crud.get_by_id': 1.3 })).filter(Boolean);
    expect(caught.length).toBeGreaterThanOrEqual(19);
  });

  it('reports a +30% get_by_id change as regressed with the numbers that led to it', () => {
    const history = makeNoisyHistory(7, 10, TYPICAL_MEANS, { machineSigma: 0.05, metricSigma: 0.02 });
    const current = makeResults({ scenarios: [makeScenario('bench.crud.get_by_id', { avg_ms: 0.39 })], calibration: makeCalibration(1) });
    const verdict = findVerdict(compareToBaseline({ current, history, thresholds }), 'bench.crud.get_by_id', 'avg_ms');
    expect(verdict.kind).toBe('regressed');
    if (verdict.kind !== 'regressed' || !verdict.relative) throw new Error('expected a regression with relative evidence');
    expect(verdict.relative.mode).toBe('evidence');
    expect(verdict.relative.historyRuns).toBe(10);
    expect(verdict.relative.raw.changePercent).toBeGreaterThan(25);
    expect(verdict.relative.calibrated?.z).toBeGreaterThan(2.5);
    expect(verdict.relative.tolerancePercent).toBe(15);
    expect(verdict.severity).toBe('fail');
  });

  it('does not call 0.09 -> 0.11 ms a regression (absolute floor)', () => {
    const verdict = findVerdict(compareGetById(0.11, makeFlatHistory([0.09, 0.09, 0.091, 0.089, 0.09])), 'bench.crud.get_by_id', 'avg_ms');
    expect(verdict.kind).toBe('pass');
    if (verdict.kind === 'pass') expect(verdict.relative?.raw.changePercent).toBeCloseTo(22.22, 2);
  });

  it('never fails on an improvement', () => {
    const comparison = compareGetById(0.15, makeFlatHistory([0.3, 0.31, 0.29, 0.3, 0.3]));
    expect(findVerdict(comparison, 'bench.crud.get_by_id', 'avg_ms').kind).toBe('improved');
    expect(comparison.outcome).toMatchObject({ kind: 'pass', improvements: 1 });
  });

  it('falls back to the tolerance alone with too little history, and says so', () => {
    const verdict = findVerdict(compareGetById(0.4, makeFlatHistory([0.3, 0.3])), 'bench.crud.get_by_id', 'avg_ms');
    expect(verdict.kind).toBe('regressed');
    if (verdict.kind !== 'regressed' || !verdict.relative) throw new Error('expected a regression with relative evidence');
    expect(verdict.relative.mode).toBe('tolerance-only');
    expect(verdict.relative.raw.z).toBeNull();
    expect(verdict.notes).toContain('history has 2 runs, fewer than 3: judged by tolerance alone');
  });

  it('needs evidence beyond the between-run noise of the history', () => {
    const noisy = makeFlatHistory([0.3, 0.4, 0.22, 0.35, 0.26, 0.31, 0.38, 0.24]);
    expect(findVerdict(compareGetById(0.4, noisy), 'bench.crud.get_by_id', 'avg_ms').kind).toBe('pass');
    const quiet = makeFlatHistory([0.3, 0.31, 0.3, 0.29, 0.3, 0.3, 0.31, 0.3]);
    expect(findVerdict(compareGetById(0.4, quiet), 'bench.crud.get_by_id', 'avg_ms').kind).toBe('regressed');
  });

  it('downgrades relative failures to warnings when the fingerprint differs', () => {
    const history = makeFlatHistory([0.3, 0.3, 0.31, 0.29], makeEnvironment({ pgMajor: 16 }));
    const comparison = compareGetById(0.5, history, thresholds, makeEnvironment({ pgMajor: 17 }));
    const verdict = findVerdict(comparison, 'bench.crud.get_by_id', 'avg_ms');
    expect(verdict).toMatchObject({ kind: 'regressed', severity: 'warn' });
    expect(verdict.notes.join(' ')).toContain('postgres.major 16 -> 17');
    expect(comparison.fingerprint.differences).toEqual([{ field: 'postgres.major', baseline: 16, current: 17 }]);
    expect(comparison.outcome).toMatchObject({ kind: 'pass', warnings: 1, regressions: 0 });
  });

  it('keeps failing when configured to, and uses only like-for-like runs when there are enough', () => {
    const strict = parseThresholds({ comparison: { fingerprintMismatch: 'fail' } }, 'strict');
    const history = makeFlatHistory([0.3, 0.3, 0.31], makeEnvironment({ cpuCount: 4 }));
    expect(compareGetById(0.5, history, strict).outcome.kind).toBe('fail');
    const mixed = [...makeFlatHistory([0.3, 0.3, 0.31]), ...makeFlatHistory([0.9], makeEnvironment({ cpuCount: 4 }))];
    const comparison = compareGetById(0.3, mixed);
    expect(comparison.fingerprint).toMatchObject({ differences: [], excludedRuns: 1 });
    expect(comparison.history.runs).toBe(3);
  });

  it('reports breaches, new and missing metrics, errored scenarios and failed checks', () => {
    const history = makeFlatHistory([0.3, 0.3, 0.3]);
    history[0]?.scenarios.push(makeScenario('bench.crud.create', { avg_ms: 1 }));
    const current = makeResults({
      scenarios: [
        makeScenario('bench.crud.get_by_id', { avg_ms: 12, p99_ms: 20 }),
        makeScenario('pooling.normal_load', { error_rate: 0.02 }, { checks: [{ name: 'no_leaks', passed: false, measured: 2, expected: '0' }] }),
        { ...makeScenario('bench.crud.update', {}), status: 'errored', error: { name: 'Error', message: 'boom' } },
      ],
    });
    const comparison = compareToBaseline({ current, history, thresholds });
    expect(findVerdict(comparison, 'bench.crud.get_by_id', 'avg_ms')).toMatchObject({ kind: 'breached', limit: { bound: 'max', value: 10 } });
    expect(findVerdict(comparison, 'bench.crud.get_by_id', 'p99_ms').kind).toBe('new');
    expect(findVerdict(comparison, 'pooling.normal_load', 'error_rate').kind).toBe('breached');
    expect(findVerdict(comparison, 'bench.crud.update', '*').kind).toBe('errored');
    expect(findVerdict(comparison, 'bench.crud.create', '*').kind).toBe('missing');
    expect(comparison.failedChecks).toHaveLength(1);
    expect(comparison.outcome).toMatchObject({ kind: 'fail', breaches: 2, errored: 1, failedChecks: 1, regressions: 0 });
  });

  it('reports the raw and the calibrated change: a slower runner is not slower code', () => {
    const history = makeFlatHistory([0.3, 0.3, 0.31, 0.29, 0.3]);
    const current = makeResults({ scenarios: [makeScenario('bench.crud.get_by_id', { avg_ms: 0.39 })], calibration: makeCalibration(1.3) });
    const comparison = compareToBaseline({ current, history, thresholds });
    const verdict = findVerdict(comparison, 'bench.crud.get_by_id', 'avg_ms');
    expect(comparison.calibration.factor).toBeCloseTo(1.3, 12);
    expect(verdict.kind).toBe('pass');
    if (verdict.kind !== 'pass') return;
    expect(verdict.relative?.raw.changePercent).toBeCloseTo(30, 9);
    expect(verdict.relative?.calibrated?.changePercent).toBeCloseTo(0, 9);
  });

  it('charts key latencies over the history, oldest first', () => {
    const comparison = compareGetById(0.35, makeFlatHistory([0.3, 0.2, 0.1]));
    expect(comparison.trends).toEqual([
      { scenarioId: 'bench.crud.get_by_id', metric: 'avg_ms', labels: ['1:2222222', '2:1111111', '3:0000000', 'this run'], values: [0.1, 0.2, 0.3, 0.35] },
    ]);
  });
});

describe('re-run confirmation', () => {
  const history = makeFlatHistory([0.3, 0.3, 0.31, 0.29, 0.3]);

  it('lists the flagged scenarios and fails only if the regression holds', () => {
    const first = compareGetById(0.45, history);
    expect(listRerunScenarios(first)).toEqual(['bench.crud.get_by_id']);
    const slowAgain = runGetById(0.44, history);
    const held = mergeRerun(first, slowAgain.comparison, slowAgain.current);
    expect(held.outcome.kind).toBe('fail');
    expect(findVerdict(held, 'bench.crud.get_by_id', 'avg_ms')).toMatchObject({ rerun: { held: true, current: 0.44 } });
    const fastAgain = runGetById(0.3, history);
    const cleared = mergeRerun(first, fastAgain.comparison, fastAgain.current);
    expect(cleared.outcome).toMatchObject({ kind: 'pass', warnings: 1 });
    expect(findVerdict(cleared, 'bench.crud.get_by_id', 'avg_ms').notes).toContain('did not hold on the re-run: downgraded to a warning');
  });

  /** A run whose pagination scenario measured the timing check `scales_linearly` at `ratio`. */
  const paginationRun = (ratio: number, status: 'passed' | 'failed' | 'errored' = ratio <= 1.3 ? 'passed' : 'failed') => {
    const checks = [
      { name: 'all_operations_succeeded', passed: true, measured: 0, expected: '0 failed' },
      { name: 'scales_linearly', passed: ratio <= 1.3, measured: ratio, expected: '<= 1.3', timing: true as const },
    ];
    const scenario = makeScenario('bench.pagination:100', { avg_ms: 0.5 }, { checks });
    return makeResults({ scenarios: [status === 'errored' ? { ...scenario, status, error: { name: 'Error', message: 'lost' } } : { ...scenario, status }] });
  };
  const judge = (current: ReturnType<typeof paginationRun>) => compareToBaseline({ current, history: [], thresholds });

  it('re-runs a scenario whose timing check failed, and fails only if the re-run fails it too', () => {
    const first = judge(paginationRun(1.33));
    expect(first.outcome).toMatchObject({ kind: 'fail', failedChecks: 1 });
    expect(listRerunScenarios(first)).toEqual(['bench.pagination:100']);

    const passedAgain = paginationRun(1.1);
    const cleared = mergeRerun(first, judge(passedAgain), passedAgain);
    expect(cleared.outcome).toMatchObject({ kind: 'pass', failedChecks: 0, warnings: 1 });
    expect(cleared.failedChecks).toEqual([
      { scenarioId: 'bench.pagination:100', check: first.failedChecks[0]!.check, severity: 'warn', rerun: { passed: true, measured: 1.1 } },
    ]);

    const failedAgain = paginationRun(1.5);
    const held = mergeRerun(first, judge(failedAgain), failedAgain);
    expect(held.outcome).toMatchObject({ kind: 'fail', failedChecks: 1, warnings: 0 });
    expect(held.failedChecks[0]).toMatchObject({ severity: 'fail', rerun: { passed: false, measured: 1.5 } });

    const erroredAgain = paginationRun(1.1, 'errored');
    expect(mergeRerun(first, judge(erroredAgain), erroredAgain).outcome).toMatchObject({ kind: 'fail', failedChecks: 1 });
  });

  it('never re-runs for a failed check that does not measure time', () => {
    const current = makeResults({
      scenarios: [makeScenario('sessions.pool_leak', {}, { checks: [{ name: 'no_sessions_leaked', passed: false, measured: 3, expected: '0' }] })],
    });
    const comparison = compareToBaseline({ current, history: [], thresholds });
    expect(comparison.failedChecks).toEqual([{ scenarioId: 'sessions.pool_leak', check: current.scenarios[0]!.checks[0], severity: 'fail' }]);
    expect(listRerunScenarios(comparison)).toEqual([]);
  });
});

describe('per-scenario reference calibration', () => {
  /** get_by_id at `ms`, measured while the scenario's own raw pg reference took `reference` ms. */
  const run = (ms: number, reference: number, sha = 'a') =>
    makeResults({
      sha: sha.repeat(40).slice(0, 40),
      calibration: makeCalibration(1),
      scenarios: [makeScenario('bench.crud.get_by_id', { avg_ms: ms, reference_ms: reference })],
    });

  it('divides out the machine speed seen right around the scenario, not the run-level calibration', () => {
    // The machine was busy in different moments: latency and reference move together.
    const history = [run(0.6, 0.4, '1'), run(0.9, 0.6, '2'), run(0.45, 0.3, '3'), run(0.75, 0.5, '4'), run(0.6, 0.4, '5')];
    const slowerMoment = compareToBaseline({ current: run(1.2, 0.8), history, thresholds });
    const same = findVerdict(slowerMoment, 'bench.crud.get_by_id', 'avg_ms');
    expect(same.kind).toBe('pass');
    expect(same.kind === 'pass' && same.relative?.calibrated?.changePercent).toBeCloseTo(0, 9);

    const slowerCode = compareToBaseline({ current: run(0.78, 0.4), history, thresholds });
    const verdict = findVerdict(slowerCode, 'bench.crud.get_by_id', 'avg_ms');
    expect(verdict.kind).toBe('regressed');
    expect(verdict.kind === 'regressed' && verdict.relative?.calibrated?.changePercent).toBeCloseTo(30, 6);
  });

  it('falls back to the run-level calibration when a history run has no reference', () => {
    const history = [run(0.6, 0.4, '1'), makeResults({ scenarios: [makeScenario('bench.crud.get_by_id', { avg_ms: 0.6 })] })];
    const verdict = findVerdict(compareToBaseline({ current: run(1.2, 0.8), history, thresholds }), 'bench.crud.get_by_id', 'avg_ms');
    expect(verdict.kind === 'pass' || verdict.kind === 'regressed').toBe(true);
    expect('relative' in verdict && verdict.relative?.calibrated?.changePercent).toBeCloseTo(100, 6);
  });
});
