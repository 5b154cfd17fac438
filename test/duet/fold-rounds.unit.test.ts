import { describe, expect, it } from 'vitest';
import type { DuetRun, DuetScenario } from '../../src/duet/duet-types.js';
import { foldHeadRounds } from '../../src/duet/fold-rounds.js';
import { buildHeadDocument } from '../../src/duet/head-document.js';
import { roundOrder, roundTimeoutMs } from '../../src/duet/round-loop.js';
import { DEFAULT_WATCHDOG } from '../../src/duet/arm-runner.js';
import { validateResults } from '../../src/results/results-io.js';
import type { Check, ScenarioResult } from '../../src/results/types.js';
import { makeCalibration, makeEnvironment, makeScenario } from '../support/results-fixtures.js';

const ID = 'bench.pagination:100';

function headRound(values: Record<string, number>, checks: Check[] = [], extra: Partial<ScenarioResult> = {}): ScenarioResult {
  const failed = checks.some((c) => !c.passed);
  return makeScenario(ID, values, { checks, status: failed ? 'failed' : 'passed', wallMs: 200, ...extra });
}

function scenarioOf(heads: ScenarioResult[], extra: Partial<DuetScenario> = {}): DuetScenario {
  return {
    id: ID,
    category: 'bench',
    status: 'paired',
    definition: 'same',
    rounds: heads.map((head, round) => ({ round, order: roundOrder(round), head, base: head })),
    ...extra,
  };
}

const counting = (passed: boolean, measured: number): Check => ({ name: 'all_operations_succeeded', passed, measured, expected: '0 failed' });
const timing = (passed: boolean, measured: number): Check => ({ name: 'scales_linearly', passed, measured, expected: '< 1.3', timing: true });

describe('foldHeadRounds', () => {
  it('takes the median of percentiles and ops/sec, the extremes of min and max, and the mean of the rest', () => {
    const folded = foldHeadRounds(
      scenarioOf([
        headRound({ avg_ms: 1, p95_ms: 3, ops_per_sec: 900, min_ms: 0.5, max_ms: 9, error_rate: 0 }),
        headRound({ avg_ms: 2, p95_ms: 10, ops_per_sec: 500, min_ms: 0.4, max_ms: 7, error_rate: 0.02 }),
        headRound({ avg_ms: 6, p95_ms: 4, ops_per_sec: 700, min_ms: 0.6, max_ms: 12, error_rate: 0.01 }),
      ]),
    )!;
    const value = (name: string) => folded.metrics[name]?.value;
    expect(value('avg_ms')).toBe(3);
    expect(value('p95_ms')).toBe(4);
    expect(value('ops_per_sec')).toBe(700);
    expect(value('min_ms')).toBe(0.4);
    expect(value('max_ms')).toBe(12);
    expect(value('error_rate')).toBeCloseTo(0.01, 12);
    expect(folded.metrics.ops_per_sec).toEqual({ value: 700, unit: 'ops/s', direction: 'higher' });
    expect(folded.params.rounds).toBe(3);
    expect(folded.wallMs).toBe(600);
  });

  it('folds avg_ms and error_rate over all calls when every round counted its calls', () => {
    const folded = foldHeadRounds(
      scenarioOf([
        headRound({ avg_ms: 0.4, error_rate: 0, total: 40 }),
        // One call stalled 60 ms: a mean over rounds would read (0.4 + 60 + 0.5) / 3 = 20.3 ms.
        headRound({ avg_ms: 60, error_rate: 1, total: 1 }),
        headRound({ avg_ms: 0.5, error_rate: 0.05, total: 39 }),
      ]),
    )!;
    // (0.4 * 40 + 60 * 1 + 0.5 * 39) / 80 = 95.5 / 80; errors (0 + 1 + 1.95) / 80.
    expect(folded.metrics.avg_ms?.value).toBeCloseTo(95.5 / 80, 12);
    expect(folded.metrics.error_rate?.value).toBeCloseTo(2.95 / 80, 12);
    const uncounted = foldHeadRounds(scenarioOf([headRound({ avg_ms: 1, total: 10 }), headRound({ avg_ms: 3 })]))!;
    expect(uncounted.metrics.avg_ms?.value).toBe(2);
  });

  it('folds cpu_per_call_ms over all calls, as avg_ms', () => {
    const folded = foldHeadRounds(
      scenarioOf([headRound({ avg_ms: 0.4, cpu_per_call_ms: 0.2, total: 30 }), headRound({ avg_ms: 2, cpu_per_call_ms: 1, total: 10 })]),
    )!;
    // (0.2 * 30 + 1 * 10) / 40 = 16 / 40
    expect(folded.metrics.cpu_per_call_ms).toEqual({ value: 0.4, unit: 'ms', direction: 'lower' });
  });

  it('fails a counting check that failed in any round, showing that round', () => {
    const folded = foldHeadRounds(scenarioOf([headRound({}, [counting(true, 0)]), headRound({}, [counting(false, 3)]), headRound({}, [counting(true, 0)])]))!;
    expect(folded.status).toBe('failed');
    expect(folded.checks).toEqual([counting(false, 3)]);
  });

  it('fails a timing check only when it failed in more than half the rounds, with the median measured', () => {
    const twoOfFour = [timing(false, 1.4), timing(true, 1.1), timing(false, 1.35), timing(true, 1.0)];
    const passed = foldHeadRounds(scenarioOf(twoOfFour.map((c) => headRound({}, [c]))))!;
    expect(passed.status).toBe('passed');
    expect(passed.checks).toEqual([{ ...timing(true, 1.225) }]);
    const threeOfFour = [timing(false, 1.4), timing(false, 1.31), timing(false, 1.35), timing(true, 1.0)];
    const failed = foldHeadRounds(scenarioOf(threeOfFour.map((c) => headRound({}, [c]))))!;
    expect(failed.status).toBe('failed');
    expect(failed.checks).toEqual([{ ...timing(false, 1.33) }]);
  });

  it('is errored when a head round errored, or when the head has no round at all', () => {
    const errored = headRound({}, [], { status: 'errored', error: { name: 'WorkerFailure', message: 'the head worker exited with code 70' } } as Partial<ScenarioResult>);
    const folded = foldHeadRounds(scenarioOf([headRound({ avg_ms: 1 }), errored]))!;
    expect(folded).toMatchObject({ status: 'errored', error: { message: 'the head worker exited with code 70' }, checks: [], metrics: {} });
    const none = foldHeadRounds({ ...scenarioOf([]), status: 'errored', errors: { head: 'the head worker failed 3 time(s)' } })!;
    expect(none).toMatchObject({ status: 'errored', error: { name: 'WorkerFailure', message: 'the head worker failed 3 time(s)' } });
  });

  it('leaves out a scenario the head does not have, and thins merged samples to one reservoir', () => {
    expect(foldHeadRounds({ ...scenarioOf([]), definition: 'base-only', status: 'missing' })).toBeUndefined();
    const samples = (n: number, from: number) => ({ unit: 'ms' as const, observed: n * 2, values: Array.from({ length: n }, (_, i) => from + i) });
    const folded = foldHeadRounds(scenarioOf([headRound({}, [], { samples: samples(1500, 0) }), headRound({}, [], { samples: samples(1500, 10_000) })]))!;
    expect(folded.samples?.observed).toBe(6000);
    expect(folded.samples?.values).toHaveLength(2000);
    expect(folded.samples?.values.slice(0, 3)).toEqual([0, 1, 3]);
  });
});

describe('rounds', () => {
  it('alternate the arms, starting with the one drawn for the scenario', () => {
    expect([0, 1, 2, 3].map((r) => roundOrder(r, 'base'))).toEqual([
      ['base', 'head'],
      ['head', 'base'],
      ['base', 'head'],
      ['head', 'base'],
    ]);
  });

  it('alternate head first and base first (AB BA AB BA)', () => {
    expect([0, 1, 2, 3].map((r) => roundOrder(r))).toEqual([
      ['head', 'base'],
      ['base', 'head'],
      ['head', 'base'],
      ['base', 'head'],
    ]);
  });

  it('get a fixed watchdog until one finished, then a multiple of the longest with a floor', () => {
    expect(roundTimeoutMs(DEFAULT_WATCHDOG, 0)).toBe(DEFAULT_WATCHDOG.firstRoundMs);
    expect(roundTimeoutMs(DEFAULT_WATCHDOG, 500)).toBe(60_000);
    expect(roundTimeoutMs(DEFAULT_WATCHDOG, 9000)).toBe(90_000);
  });
});

describe('buildHeadDocument', () => {
  it('is a valid results document of the head arm', () => {
    const duet: DuetRun = {
      schemaVersion: 1,
      run: { headSha: 'a'.repeat(40), baseSha: 'b'.repeat(40), startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:00.000Z', rounds: 2, seed: 7, seedUsers: 1000, scale: 1 },
      timings: { setupMs: { head: 2000, base: 2100 }, wallMs: 60_000, categories: { bench: 58_000 } },
      arms: {
        head: { toolVersion: '0.1.0', database: 'database a', fingerprint: makeEnvironment(), restarts: 0, calibration: makeCalibration() },
        base: { toolVersion: '0.1.0', database: 'database b', fingerprint: makeEnvironment(), restarts: 0 },
      },
      scenarios: [
        scenarioOf([headRound({ avg_ms: 1 }), headRound({ avg_ms: 3 })]),
        { ...scenarioOf([]), id: 'bench.crud.restore', definition: 'base-only', status: 'missing' },
      ],
    };
    const doc = validateResults(buildHeadDocument(duet, 'refs/heads/feature'), 'head document');
    expect(doc.run).toMatchObject({ gitSha: 'a'.repeat(40), gitRef: 'refs/heads/feature', seed: 7 });
    expect(doc.scenarios.map((s) => [s.id, s.metrics.avg_ms?.value])).toEqual([[ID, 2]]);
    expect(doc.timings).toEqual({ setupMs: 2000, categories: { bench: { wallMs: 400 } }, totalMs: 60_000 });
  });
});
