/**
 * The duet coordinator with real worker processes: both arms are the bundle of the current tree
 * (an A/A duet), on the test server, on a small selection at a small size.
 */
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Arm } from '../../src/duet/arms.js';
import { runDuet, type DuetRequest } from '../../src/duet/coordinator.js';
import type { DuetRun, DuetScenario } from '../../src/duet/duet-types.js';
import { buildHeadDocument } from '../../src/duet/head-document.js';
import { judgeDuet } from '../../src/duet/paired-compare.js';
import { parseThresholds } from '../../src/config/thresholds.js';
import { validateResults } from '../../src/results/results-io.js';
import { DEFAULT_DB_SETTINGS } from '../../src/db/settings.js';
import type { ProgressReporter } from '../../src/suites/harness/progress.js';
import { DEFAULT_SUITE_OPTIONS } from '../../src/suites/scenario.js';
import { buildBundle, makeTempFolder, removeFolder } from '../action/support/action-bundle.js';
import { serverUrl } from '../support/database.js';
import { startFaultProxy } from '../../src/suites/harness/fault-proxy.js';

let temp: string;
let worker: string;

beforeAll(async () => {
  temp = await makeTempFolder('perf-gate-duet-test-');
  worker = path.join(await buildBundle(temp), 'worker.js');
}, 120_000);

afterAll(async () => {
  await removeFolder(temp);
});

function arm(name: Arm['name'], env?: Record<string, string>): Arm {
  return { name, sha: `${name}-sha`, command: [process.execPath, worker], ...(env ? { env } : {}) };
}

/** A progress reporter that records what it was told. */
function recordProgress(): ProgressReporter & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    scenarioStarted: (id, index, total) => void events.push(`start ${id} ${index + 1}/${total}`),
    scenarioDetail: (text) => void events.push(`  ${text}`),
    scenarioFinished: (id, status) => void events.push(`end ${id} ${status}`),
    categoryFinished: (category, summary) => void events.push(`category ${category} ${summary.passed + summary.failed + summary.errored}`),
    close: () => undefined,
  };
}

function request(overrides: Partial<DuetRequest> & Pick<DuetRequest, 'arms' | 'selection'>, logs: string[]): DuetRequest {
  return {
    serverUrl: serverUrl(),
    settings: DEFAULT_DB_SETTINGS,
    suite: { ...DEFAULT_SUITE_OPTIONS, scale: 0.2 },
    seed: 1234,
    seedUsers: 300,
    rounds: 4,
    progress: recordProgress(),
    log: (line) => void logs.push(line),
    ...overrides,
  };
}

/** The scratch databases named in the arms' descriptions and in the logs that still exist. */
async function leftoverDatabases(duet: DuetRun | undefined, logs: readonly string[]): Promise<string[]> {
  const names = new Set<string>();
  for (const text of [...logs, duet?.arms.head.database ?? '', duet?.arms.base.database ?? '']) {
    for (const match of text.matchAll(/perf_gate_duet_\w+/g)) names.add(match[0]);
  }
  expect(names.size, 'the test found the workers’ database names').toBeGreaterThan(0);
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where datname = any($1)', [[...names]]);
    return rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

describe('an A/A duet', () => {
  it('runs every round on both arms in ABBA order, reports both results, and drops both databases', async () => {
    const logs: string[] = [];
    const progress = recordProgress();
    const asked: string[] = [];
    // The extension is asked about every paired scenario once its rounds are done; monitoring gets it.
    const extend = (scenario: DuetScenario) => (asked.push(`${scenario.id} ${scenario.rounds.length}`), scenario.id === 'pooling.monitoring');
    const duet = await runDuet(
      request(
        {
          arms: { head: arm('head'), base: arm('base') },
          selection: { scenarios: ['bench.crud.get_by_id', 'pooling.monitoring'] },
          progress,
          extend,
          // Monitoring starts with the base, get-by-id with the head.
          firstArm: (id) => (id === 'pooling.monitoring' ? 'base' : 'head'),
        },
        logs,
      ),
    );
    expect(duet.scenarios.map((s) => [s.id, s.status, s.definition, s.extendedBy])).toEqual([
      ['pooling.monitoring', 'paired', 'same', 4],
      ['bench.crud.get_by_id', 'paired', 'same', undefined],
    ]);
    expect(asked).toEqual(['pooling.monitoring 4', 'bench.crud.get_by_id 4']);
    const baab = ['base,head', 'head,base', 'base,head', 'head,base'];
    expect(duet.scenarios[0]!.rounds.map((r) => `${r.round}:${r.order.join(',')}`)).toEqual([...baab, ...baab].map((o, i) => `${i}:${o}`));
    expect(duet.scenarios[1]!.rounds.map((r) => r.order.join(','))).toEqual(['head,base', 'base,head', 'head,base', 'base,head']);
    for (const scenario of duet.scenarios) {
      for (const round of scenario.rounds) {
        expect(round.head?.id).toBe(scenario.id);
        expect(round.base?.id).toBe(scenario.id);
        expect(round.head?.status, JSON.stringify(round.head)).not.toBe('errored');
        expect(round.base?.status, JSON.stringify(round.base)).not.toBe('errored');
      }
    }
    const getById = duet.scenarios[1]!;
    // Each round runs a quarter of the usual bench time budget (0.4 s).
    expect(getById.rounds[0]!.head!.params.max_seconds).toBe(0.1);
    expect(getById.rounds.every((r) => (r.head?.metrics.avg_ms?.value ?? 0) > 0 && (r.base?.metrics.avg_ms?.value ?? 0) > 0)).toBe(true);

    expect(duet.run).toMatchObject({ headSha: 'head-sha', baseSha: 'base-sha', rounds: 4, seed: 1234, seedUsers: 300, scale: 0.2 });
    expect(duet.arms.head.fingerprint).toEqual(duet.arms.base.fingerprint);
    expect(duet.arms.head.calibration?.rawGetById.n).toBeGreaterThan(0);
    expect(duet.arms.base.calibration?.rawGetById.n).toBeGreaterThan(0);
    expect(duet.arms.head.restarts + duet.arms.base.restarts).toBe(0);
    expect(duet.timings.setupMs.head).toBeGreaterThan(0);
    expect(duet.timings.wallMs).toBeGreaterThan(duet.timings.setupMs.head);

    // Each worker's log reaches the coordinator's, prefixed with its arm.
    for (const name of ['head', 'base']) expect(logs.some((l) => l.startsWith(`[${name}] seeded 300 users (seed 1234)`))).toBe(true);
    expect(progress.events.slice(0, 6)).toEqual([
      'start pooling.monitoring 1/2',
      '  base round 1/4',
      '  head round 1/4',
      '  head round 2/4',
      '  base round 2/4',
      '  base round 3/4',
    ]);
    expect(progress.events.filter((e) => !e.startsWith('  '))).toEqual([
      'start pooling.monitoring 1/2',
      'end pooling.monitoring passed',
      'category pooling 1',
      'start bench.crud.get_by_id 2/2',
      'end bench.crud.get_by_id passed',
      'category bench 1',
    ]);

    // Both arms counted get-by-id's statements before the first round (the bundle loads libpg-query's
    // WebAssembly from its chunks folder), and an A/A duet counts the same on both.
    const counted = (name: 'head' | 'base') => (duet.arms[name].cost?.kind === 'counted' ? duet.arms[name].cost.section : undefined);
    expect(duet.arms.head.cost, JSON.stringify(duet.arms.head.cost)).toMatchObject({ kind: 'counted' });
    expect(counted('head')?.operations.map((op) => [op.id, op.status])).toEqual([['bench.crud.get_by_id', 'measured']]);
    const statementsOf = (name: 'head' | 'base') => counted(name)?.operations.map((op) => (op.status === 'measured' ? op.record.calls.map((c) => c.statements) : []));
    expect(statementsOf('base')).toEqual(statementsOf('head'));

    const doc = validateResults(buildHeadDocument(duet), 'head document');
    expect(doc.cost?.operations).toHaveLength(1);
    expect(doc.scenarios.map((s) => [s.id, s.params.rounds])).toEqual([
      ['pooling.monitoring', 8],
      ['bench.crud.get_by_id', 4],
    ]);
    expect(await leftoverDatabases(duet, logs)).toEqual([]);
  }, 240_000);
});

describe('a duet whose head adds a round trip to get-by-id', () => {
  it('fails on the cost verdict: one more statement per call', async () => {
    const logs: string[] = [];
    const duet = await runDuet(
      request(
        {
          arms: { head: arm('head', { PERF_GATE_WORKER_TEST_REGRESSION: 'extra-round-trip:bench.crud.get_by_id' }), base: arm('base') },
          selection: { scenarios: ['bench.crud.get_by_id'] },
          rounds: 2,
        },
        logs,
      ),
    );
    const head = buildHeadDocument(duet);
    const comparison = judgeDuet({ duet, head, thresholds: parseThresholds({}, 'thresholds.json') });
    expect(comparison.cost?.against).toEqual({ kind: 'base' });
    expect(comparison.cost?.operations).toMatchObject([
      { operation: 'bench.crud.get_by_id', status: 'regressed', severity: 'fail', base: { statements: 1 }, head: { statements: 2 } },
    ]);
    expect(comparison.outcome.kind).toBe('fail');
  }, 120_000);
});

describe('the round plan', () => {
  it('runs a scenario once per arm at full size, and cuts a paired one to its budget (never below 10 rounds)', async () => {
    const logs: string[] = [];
    const duet = await runDuet(
      request(
        {
          arms: { head: arm('head'), base: arm('base') },
          selection: { scenarios: ['sessions.normal_cleanup', 'bench.crud.get_by_id'] },
          suite: { ...DEFAULT_SUITE_OPTIONS, scale: 1 },
          rounds: 12,
          scenarioBudgetMs: 1,
          once: { scenarios: ['sessions.normal_cleanup'] },
          sideBySide: { categories: ['sessions'] },
        },
        logs,
      ),
    );
    const [cleanup, getById] = duet.scenarios;
    // Once: one round per arm, the full 100 operations (a paired round would run 100 / 12).
    expect(cleanup!.rounds).toHaveLength(1);
    expect([cleanup!.rounds[0]!.head?.params.operations, cleanup!.rounds[0]!.base?.params.operations]).toEqual([100, 100]);
    expect(cleanup!.rounds[0]!.head?.status, JSON.stringify(cleanup!.rounds[0]!.head)).toBe('passed');
    // A budget of 1 ms pays for no round: the fewest that give an interval, each still 1/12 of the work.
    expect(getById!.rounds.map((r) => r.round)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(getById!.rounds.every((r) => r.head?.params.max_seconds === 0.4 / 12 && r.base?.params.max_seconds === 0.4 / 12)).toBe(true);
    // A bench round is one timed block of calls; only the first round collects garbage before it.
    expect(getById!.rounds[0]!.head?.params.cycles).toBe(1);
    expect(await leftoverDatabases(duet, logs)).toEqual([]);
  }, 240_000);
});

describe('a worker that fails', () => {
  it('crashing mid-scenario errors that scenario for its arm, is restarted, and the run still reports', async () => {
    const logs: string[] = [];
    const head = arm('head', { PERF_GATE_WORKER_TEST_FAULT: 'crash:pooling.monitoring' });
    const duet = await runDuet(
      request({ arms: { head, base: arm('base') }, selection: { scenarios: ['bench.crud.get_by_id', 'pooling.monitoring'] }, rounds: 2 }, logs),
    );
    const [monitoring, getById] = duet.scenarios;
    expect(monitoring).toMatchObject({ id: 'pooling.monitoring', status: 'errored', definition: 'same' });
    expect(monitoring!.errors?.head).toMatch(/^the head worker \(pid \d+\) exited with code 70$/);
    expect(monitoring!.errors?.base).toBeUndefined();
    // The crashed arm sits out the rest of the scenario; the base runs all its rounds.
    expect(monitoring!.rounds.map((r) => [r.head?.status ?? '-', r.base?.status])).toEqual([
      ['errored', 'passed'],
      ['-', 'passed'],
    ]);
    expect(getById).toMatchObject({ id: 'bench.crud.get_by_id', status: 'paired' });
    expect(getById!.rounds.every((r) => r.head?.status === 'passed' && r.base?.status === 'passed')).toBe(true);
    expect(duet.arms.head.restarts).toBe(1);
    expect(logs).toContain('restarting the head worker (1 of at most 2)');
    const doc = buildHeadDocument(duet);
    expect(doc.scenarios.map((s) => [s.id, s.status])).toEqual([
      ['pooling.monitoring', 'errored'],
      ['bench.crud.get_by_id', 'passed'],
    ]);
    // The killed worker's database is dropped by the coordinator.
    expect(await leftoverDatabases(duet, logs)).toEqual([]);
  }, 240_000);

  it('hanging past the watchdog is killed; with no restarts left, the rest of its arm is errored', async () => {
    const logs: string[] = [];
    const head = arm('head', { PERF_GATE_WORKER_TEST_FAULT: 'hang:bench.crud.create' });
    const duet = await runDuet(
      request(
        {
          arms: { head, base: arm('base') },
          selection: { scenarios: ['bench.crud.create', 'bench.crud.get_by_id'] },
          rounds: 2,
          maxRestarts: 0,
          // The hanging head goes first, so its round is a scenario's first and gets firstRoundMs;
          // after a finished base round the budget would be the (longer) minRoundMs.
          firstArm: () => 'head',
          watchdog: { firstRoundMs: 3000 },
        },
        logs,
      ),
    );
    const [create, getById] = duet.scenarios;
    expect(create!.errors?.head).toMatch(/^the head worker \(pid \d+\) did not answer 'run' of bench.crud.create round 1 within 3.0 s$/);
    const pid = Number(/pid (\d+)/.exec(create!.errors!.head!)![1]);
    expect(() => process.kill(pid, 0), 'the hung worker was killed').toThrow(/ESRCH/);
    expect(create!.rounds.map((r) => [r.head?.status ?? '-', r.base?.status])).toEqual([
      ['errored', 'passed'],
      ['-', 'passed'],
    ]);
    expect(getById).toMatchObject({ status: 'errored', errors: { head: 'the head worker failed 1 time(s) and is not restarted again' } });
    expect(getById!.rounds.map((r) => [r.head?.status ?? '-', r.base?.status])).toEqual([
      ['-', 'passed'],
      ['-', 'passed'],
    ]);
    expect(buildHeadDocument(duet).scenarios.map((s) => s.status)).toEqual(['errored', 'errored']);
    expect(await leftoverDatabases(duet, logs)).toEqual([]);
  }, 240_000);
});

describe('per-arm server URLs', () => {
  it("gives each worker its arm's URL: the head's goes through its proxy, the base's refused one fails the base's setup", async () => {
    const logs: string[] = [];
    const server = new URL(serverUrl());
    const target = { targetHost: server.hostname, targetPort: Number(server.port || 5432) };
    const headProxy = await startFaultProxy(target);
    const refused = await startFaultProxy({ ...target, mode: { kind: 'refuse' } });
    try {
      const armServerUrls = { head: headProxy.url(serverUrl()), base: refused.url(serverUrl()) };
      const running = runDuet(request({ arms: { head: arm('head'), base: arm('base') }, selection: { scenarios: ['bench.crud.get_by_id'] }, armServerUrls }, logs));
      await expect(running).rejects.toMatchObject({ name: 'DuetSetupError', arm: 'base', message: expect.stringMatching(/ECONNREFUSED/) as unknown });
      expect(headProxy.stats.accepted).toBeGreaterThan(0);
      expect(refused.stats.accepted).toBe(0);
    } finally {
      await headProxy.close();
      await refused.close();
    }
  }, 240_000);
});
