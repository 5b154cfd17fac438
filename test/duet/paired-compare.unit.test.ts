/**
 * The duet verdict assembled from synthetic duet runs: exact estimates and intervals (worked out with
 * a separate Python enumeration of the Walsh averages and the 2^8 sign patterns), limits and checks
 * on the head, new / missing / changed / errored scenarios, the extension decision and the figures.
 */
import { describe, expect, it } from 'vitest';
import { parseThresholds } from '../../src/config/thresholds.js';
import type { Thresholds } from '../../src/verdict/thresholds.js';
import type { DuetRun, DuetScenario } from '../../src/duet/duet-types.js';
import { foldHeadRounds } from '../../src/duet/fold-rounds.js';
import { buildHeadDocument } from '../../src/duet/head-document.js';
import { roundOrder } from '../../src/duet/round-loop.js';
import type { Check, ScenarioResult } from '../../src/results/types.js';
import { judgeDuet, judgeDuetScenario } from '../../src/duet/paired-compare.js';
import type { MetricVerdict, PairedEvidence } from '../../src/verdict/types.js';
import { makeCalibration, makeEnvironment, makeScenario } from '../support/results-fixtures.js';

const THRESHOLDS = parseThresholds(
  {
    scenarios: {
      'bench.crud.get_by_id': { avg_ms: { max: 10 } },
      'pooling.normal_load': { avg_ms: { max: 100 } },
    },
  },
  'duet test thresholds',
);

/** Per-round base avg_ms, median 0.40, and the log ratios head / base of each pair. */
const BASE = [0.4, 0.42, 0.38, 0.41, 0.39, 0.4, 0.43, 0.37, 0.41, 0.39];
const SLOWER = [0.1, 0.12, 0.08, 0.11, 0.09, 0.1, 0.13, 0.07, 0.1, 0.1];

type Values = Record<string, number>;

function result(id: string, values: Values, checks: Check[] = []): ScenarioResult {
  return makeScenario(id, values, { checks, status: checks.every((c) => c.passed) ? 'passed' : 'failed' });
}

/** A scenario whose round r measured heads[r] on the head and bases[r] on the base (undefined: that arm did not run). */
function scenario(id: string, heads: (Values | undefined)[], bases: (Values | undefined)[], extra: Partial<DuetScenario> = {}, checks: Check[] = []): DuetScenario {
  const rounds = Math.max(heads.length, bases.length);
  return {
    id,
    category: id.split('.')[0] as DuetScenario['category'],
    status: 'paired',
    definition: 'same',
    rounds: Array.from({ length: rounds }, (_, round) => ({
      round,
      order: roundOrder(round),
      ...(heads[round] ? { head: result(id, heads[round], checks) } : {}),
      ...(bases[round] ? { base: result(id, bases[round]) } : {}),
    })),
    ...extra,
  };
}

const avg = (values: readonly number[]): Values[] => values.map((v) => ({ avg_ms: v }));
const slower = (logRatios: readonly number[]): number[] => BASE.map((b, i) => b * Math.exp(logRatios[i] as number));

function duetOf(scenarios: DuetScenario[]): DuetRun {
  return {
    schemaVersion: 1,
    run: { headSha: 'a'.repeat(40), baseSha: 'b'.repeat(40), startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:00.000Z', rounds: 8, seed: 7, seedUsers: 1000, scale: 1 },
    timings: { preparation: { headMs: 1800, baseMs: 20 }, setupMs: { head: 2000, base: 2100 }, wallMs: 60_000, categories: { bench: 50_000, pooling: 8_000 } },
    arms: {
      head: { toolVersion: '0.1.0', database: 'database h', fingerprint: makeEnvironment(), restarts: 0, calibration: makeCalibration() },
      base: { toolVersion: '0.1.0', database: 'database b', fingerprint: makeEnvironment(), restarts: 0 },
    },
    scenarios,
  };
}

function judge(scenarios: DuetScenario[], thresholds: Thresholds = THRESHOLDS) {
  const duet = duetOf(scenarios);
  return judgeDuet({ duet, head: buildHeadDocument(duet), thresholds });
}

function find(verdicts: readonly MetricVerdict[], scenarioId: string, metric: string): MetricVerdict {
  const verdict = verdicts.find((v) => v.scenarioId === scenarioId && v.metric === metric);
  if (!verdict) throw new Error(`no verdict for ${scenarioId} ${metric}`);
  return verdict;
}

function pairedOf(verdict: MetricVerdict): PairedEvidence {
  if (!('paired' in verdict) || !verdict.paired) throw new Error(`${verdict.scenarioId} ${verdict.metric} has no paired evidence`);
  return verdict.paired;
}

describe('judgeDuet: paired rounds', () => {
  it('regresses avg_ms when the whole interval of the Hodges-Lehmann estimate is beyond 5%', () => {
    const getById = scenario('bench.crud.get_by_id', avg(slower(SLOWER)), avg(BASE));
    const comparison = judge([getById]);
    const verdict = find(comparison.verdicts, 'bench.crud.get_by_id', 'avg_ms');
    expect(verdict).toMatchObject({ kind: 'regressed', severity: 'fail', relative: null, rerun: null });
    const paired = pairedOf(verdict);
    expect(paired).toMatchObject({ method: 'rounds', outcome: 'regressed', leaning: null, pairs: 10, droppedPairs: 0, tolerancePercent: 5, absoluteFloor: 0.01 });
    // HL of the log ratios 0.10. At 99.8% with 10 pairs only P(T+ = 0) = 1/1024 fits in the tail, so
    // the interval is the smallest and largest Walsh averages, 0.07 and 0.13 (exact coverage 1 - 2/1024).
    expect(paired.base).toBeCloseTo(0.4, 12);
    expect(paired.changePercent).toBeCloseTo(10.517091807564771, 9);
    expect(paired.change).toBeCloseTo(0.042068367230259085, 12);
    expect(paired.interval?.confidence).toBe(1 - 2 / 1024);
    expect(paired.interval?.lowPercent).toBeCloseTo(7.250818125421654, 9);
    expect(paired.interval?.highPercent).toBeCloseTo(13.882838332462178, 9);
    expect(paired.interval?.low).toBeCloseTo(0.02900327250168662, 12);
    // The margin: the larger of the 0.01 ms floor and 5% of the base's median (0.02 ms).
    expect(paired.margin).toBeCloseTo(0.02, 12);
    expect(paired.marginPercent).toBeCloseTo(5, 9);
    expect(paired.reason).toBe('worse by +10.5% (99.8% interval +7.3% to +13.9%, 10 pairs): the whole interval is beyond the 5% margin');
    // The head's folded value is what "now" shows.
    expect((verdict as { current: number }).current).toBeCloseTo(slower(SLOWER).reduce((a, b) => a + b) / 10, 12);
    expect(comparison.outcome).toMatchObject({ kind: 'fail', regressions: 1, breaches: 0 });
    expect(comparison.mode).toBe('duet');
  });

  it('fails a CPU per call regression in a duet (it only warns against the history) and flags it for the extension', () => {
    const worse = slower(SLOWER);
    const cpu = scenario(
      'bench.crud.get_by_id',
      worse.map((v) => ({ avg_ms: 0.4, cpu_per_call_ms: v })),
      BASE.map((v) => ({ avg_ms: 0.4, cpu_per_call_ms: v })),
    );
    const judged = judgeDuetScenario(cpu, foldHeadRounds(cpu), THRESHOLDS);
    expect(find(judged.verdicts, 'bench.crud.get_by_id', 'cpu_per_call_ms')).toMatchObject({ kind: 'regressed', severity: 'fail' });
    expect(judged.flagged).toEqual(['cpu_per_call_ms']);
    const warnOnly = parseThresholds({ scenarios: { 'bench.crud.get_by_id': { cpu_per_call_ms: { severity: 'warn' } } } }, 'warn.json');
    expect(find(judgeDuetScenario(cpu, foldHeadRounds(cpu), warnOnly).verdicts, 'bench.crud.get_by_id', 'cpu_per_call_ms')).toMatchObject({ kind: 'regressed', severity: 'warn' });
  });

  it('passes an A/A scenario with an estimate and interval of exactly 0, and flags nothing', () => {
    const same = scenario('bench.crud.get_by_id', avg(BASE), avg(BASE));
    const judged = judgeDuetScenario(same, foldHeadRounds(same), THRESHOLDS);
    const paired = pairedOf(find(judged.verdicts, 'bench.crud.get_by_id', 'avg_ms'));
    expect(find(judged.verdicts, 'bench.crud.get_by_id', 'avg_ms').kind).toBe('pass');
    expect(paired).toMatchObject({ outcome: 'pass', changePercent: 0, change: 0, interval: { low: 0, high: 0, lowPercent: 0, highPercent: 0 } });
    expect(judged.flagged).toEqual([]);
  });

  it('flags a failing metric that regressed or leans worse for the extension, not one that only warns', () => {
    // Worse by +7.3% to +13.9%: regressed; p95 alike but its regression only warns; error rate as the base's.
    const worse = slower(SLOWER);
    const heads = worse.map((v) => ({ avg_ms: v, p95_ms: v * 2, error_rate: 0 }));
    const bases = BASE.map((v) => ({ avg_ms: v, p95_ms: v * 1.6, error_rate: 0 }));
    const regressed = scenario('bench.crud.get_by_id', heads, bases);
    expect(judgeDuetScenario(regressed, foldHeadRounds(regressed), THRESHOLDS).flagged).toEqual(['avg_ms']);
    // Leaning worse: +5.7% estimate, interval +0.0% to +11.6%, reaching back inside the 5% margin.
    const leaning = scenario('bench.crud.get_by_id', avg(slower([0.11, 0.0, 0.1, 0.01, 0.09, 0.02, 0.06, 0.05, 0.04, 0.07])), avg(BASE));
    const judged = judgeDuetScenario(leaning, foldHeadRounds(leaning), THRESHOLDS);
    const verdict = find(judged.verdicts, 'bench.crud.get_by_id', 'avg_ms');
    expect(verdict.kind).toBe('pass');
    expect(pairedOf(verdict)).toMatchObject({ outcome: 'inconclusive', leaning: 'worse' });
    expect(pairedOf(verdict).changePercent).toBeCloseTo(5.654061467549432, 9);
    expect(judged.flagged).toEqual(['avg_ms']);
  });

  it('is inconclusive with fewer than 10 pairs, and judges memory growth on one value per arm', () => {
    const heads = [0, 1, 2, 3].map((i) => ({ avg_ms: 2 * BASE[i]!, memory_growth_mb: 12 }));
    const bases = [0, 1, 2, 3].map((i) => ({ avg_ms: BASE[i]!, memory_growth_mb: 4 }));
    const comparison = judge([scenario('sessions.memory_stability', heads, bases)]);
    const avgMs = find(comparison.verdicts, 'sessions.memory_stability', 'avg_ms');
    expect(avgMs.kind).toBe('pass');
    expect(pairedOf(avgMs)).toMatchObject({ outcome: 'inconclusive', leaning: null, pairs: 4, change: null, interval: null, base: 0.405 });
    expect(pairedOf(avgMs).reason).toBe('4 usable pairs, fewer than 10');
    // 12 - 4 = 8 MB beyond max(5 MB, 25% of 4 MB).
    const growth = find(comparison.verdicts, 'sessions.memory_stability', 'memory_growth_mb');
    expect(growth).toMatchObject({ kind: 'regressed', severity: 'fail', current: 12 });
    expect(pairedOf(growth)).toMatchObject({ method: 'whole-run', outcome: 'regressed', base: 4, change: 8, changePercent: 200, margin: 5, marginPercent: 125, interval: null });
  });

  it('uses thresholds.json duet margins: a 25% duet tolerance passes the +10.5%', () => {
    const loose = parseThresholds({ scenarios: { 'bench.crud.get_by_id': { avg_ms: { duetTolerancePercent: 25, tolerancePercent: 1 } } } }, 'loose');
    const verdict = find(judge([scenario('bench.crud.get_by_id', avg(slower(SLOWER)), avg(BASE))], loose).verdicts, 'bench.crud.get_by_id', 'avg_ms');
    expect(verdict.kind).toBe('pass');
    expect(pairedOf(verdict)).toMatchObject({ outcome: 'pass', tolerancePercent: 25 });
    expect(pairedOf(verdict).margin).toBeCloseTo(0.1, 12);
  });

  it("applies the head's absolute limits and checks, keeping the paired evidence of a breached metric", () => {
    const check: Check = { name: 'all_operations_succeeded', passed: false, measured: '2 of 40 failed', expected: '0 failed' };
    const heads = BASE.map((v) => ({ avg_ms: 100 * v + 80 }));
    const normal = scenario('pooling.normal_load', heads, avg(BASE.map((v) => 100 * v + 80)), {}, [check]);
    const comparison = judge([normal]);
    const verdict = find(comparison.verdicts, 'pooling.normal_load', 'avg_ms');
    expect(verdict).toMatchObject({ kind: 'breached', severity: 'fail', limit: { bound: 'max', value: 100 } });
    expect(pairedOf(verdict).outcome).toBe('pass');
    expect(comparison.failedChecks).toEqual([{ scenarioId: 'pooling.normal_load', check, severity: 'fail' }]);
    expect(comparison.outcome).toMatchObject({ kind: 'fail', regressions: 0, breaches: 1, failedChecks: 1 });
  });

  it('reports metrics not compared by default as uncompared passes, and metrics in one arm only as new or missing', () => {
    const heads = BASE.map((v) => ({ avg_ms: v, total: 40, per_item_ms: v / 10 }));
    const bases = BASE.map((v) => ({ avg_ms: v, total: 40, stddev_ms: 0.1 }));
    const { verdicts } = judge([scenario('bench.crud.get_by_id', heads, bases)]);
    expect(find(verdicts, 'bench.crud.get_by_id', 'total')).toMatchObject({ kind: 'pass', relative: null });
    expect('paired' in find(verdicts, 'bench.crud.get_by_id', 'total')).toBe(false);
    expect(find(verdicts, 'bench.crud.get_by_id', 'per_item_ms')).toMatchObject({ kind: 'new', notes: ['recorded by the head, not by the base'] });
    expect(find(verdicts, 'bench.crud.get_by_id', 'stddev_ms')).toMatchObject({ kind: 'missing', severity: 'warn', baseline: 0.1 });
  });
});

describe('judgeDuet: scenarios that cannot be paired', () => {
  it('new, missing, changed and errored scenarios', () => {
    const comparison = judge([
      scenario('bench.crud.create', avg(BASE), [], { status: 'new', definition: 'head-only' }),
      scenario('bench.crud.update', [], avg(BASE), { status: 'missing', definition: 'base-only' }),
      scenario('bench.crud.get_by_id', avg(slower(SLOWER).map((v) => v * 3)), avg(BASE), { status: 'changed', definition: 'changed' }),
      scenario('bench.query.filtered', avg(BASE), avg(BASE.slice(0, 3)), { status: 'errored', errors: { base: 'the base worker (pid 9) exited with code 70' } }),
    ]);
    const { verdicts } = comparison;
    expect(find(verdicts, 'bench.crud.create', 'avg_ms')).toMatchObject({ kind: 'new', notes: ['in the head, not in the base'] });
    expect(find(verdicts, 'bench.crud.update', '*')).toMatchObject({ kind: 'missing', severity: 'warn', baseline: null, notes: ['in the base, not in the head'] });
    // Three times slower, but the definition changed: only the absolute limit (10 ms) judges it.
    const changed = find(verdicts, 'bench.crud.get_by_id', 'avg_ms');
    expect(changed).toMatchObject({ kind: 'pass', relative: null, notes: ['the pull request changed this scenario: judged by the absolute limits only'] });
    expect('paired' in changed).toBe(false);
    expect(find(verdicts, 'bench.query.filtered', '*')).toMatchObject({
      kind: 'errored',
      severity: 'fail',
      error: { name: 'DuetArmError', message: 'the base arm: the base worker (pid 9) exited with code 70' },
    });
    expect(verdicts.filter((v) => v.scenarioId === 'bench.query.filtered')).toHaveLength(1);
    expect(comparison.outcome).toMatchObject({ kind: 'fail', errored: 1, regressions: 0, warnings: 0 });
    expect(comparison.duet?.changed).toEqual(['bench.crud.get_by_id']);
  });
});

describe('judgeDuet: the run', () => {
  it('says how the duet ran and carries both arms’ figures per round', () => {
    const extended = scenario('bench.crud.get_by_id', avg([...BASE, ...BASE]), avg([...BASE, ...BASE]), { extendedBy: 10 });
    const short = scenario('pooling.monitoring', avg(BASE.slice(0, 6)), avg(BASE.slice(0, 6)));
    const once = scenario('retry.timeout', avg([3]), avg([3]));
    const comparison = judge([short, extended, once]);
    expect(comparison.duet).toMatchObject({
      headSha: 'a'.repeat(40),
      baseSha: 'b'.repeat(40),
      rounds: 8,
      // Planned rounds: the extension apart, the scenario run once per arm left out.
      roundsRun: { min: 6, max: 10 },
      changed: [],
      extended: ['bench.crud.get_by_id'],
      timings: { preparation: { headMs: 1800, baseMs: 20 }, setupMs: { head: 2000, base: 2100 }, wallMs: 60_000 },
    });
    const figures = comparison.duet!.scenarios[1]!;
    expect(figures).toMatchObject({ scenarioId: 'bench.crud.get_by_id', status: 'paired', rounds: 20, extendedBy: 10 });
    expect(figures.figures[1]).toEqual({ round: 1, order: ['base', 'head'], head: { status: 'passed', metrics: { avg_ms: 0.42 } }, base: { status: 'passed', metrics: { avg_ms: 0.42 } } });
    expect(comparison.totalMs).toBe(60_000);
    expect(comparison.history.runs).toBe(0);
    // Without a history the trend has this run only (the chart needs two points to be drawn).
    expect(comparison.trends.map((t) => t.labels)).toEqual([['this run']]);
    expect(comparison.outcome.kind).toBe('pass');
  });
});
