import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataLayer } from '../../src/db/data-layer.js';
import { newId } from '../../src/db/ids.js';
import type { ScenarioResult } from '../../src/results/types.js';
import { BENCH_SCENARIOS } from '../../src/run/own-scenarios.js';
import { SCENARIO_IDS } from '../../src/suites/catalog.js';
import { startFaultProxy, type FaultProxy } from '../../src/suites/harness/fault-proxy.js';
import { runScenario, runScenarios } from '../../src/suites/scenario-runner.js';
import { openSuiteTestEnv, type SuiteTestEnv } from '../support/suite-env.js';
import { untimedFailures } from '../support/checks.js';

let t: SuiteTestEnv;
let proxy: FaultProxy;
let distantDb: DataLayer;
let results: ScenarioResult[];

const isConcurrent = (id: string): boolean => id.startsWith('bench.concurrent.');

/**
 * Runs the category as the gate does, except that the concurrency scenarios reach the database
 * through a proxy adding 1 ms each way. A cheap read keeps this process's one thread busy, and on a
 * 2-core machine shared with other test files there may be no CPU left for 20 workers to use, so
 * their latency would grow with the machine's load rather than with the data layer. With calls
 * that wait on the database, concurrency has something to overlap, which is what the sub-linear
 * criterion is about.
 */
beforeAll(async () => {
  t = await openSuiteTestEnv({ benchmarkMaxSeconds: 0.2 }, 500);
  const target = new URL(t.data.settings.url);
  proxy = await startFaultProxy({ targetHost: target.hostname, targetPort: Number(target.port), mode: { kind: 'delay', ms: 1 } });
  distantDb = await t.data.openAnother({}, proxy.url(t.data.settings.url));
  const direct = await runScenarios(BENCH_SCENARIOS.filter((d) => !isConcurrent(d.id)), t.env);
  const distant = await runScenarios(BENCH_SCENARIOS.filter((d) => isConcurrent(d.id)), { ...t.env, db: distantDb });
  const all = [...direct.results, ...distant.results];
  results = SCENARIO_IDS.bench.map((id) => all.find((r) => r.id === id)!).filter(Boolean);
}, 120_000);
afterAll(async () => {
  await t.cleanup();
  await proxy.close();
});

const byId = (id: string): ScenarioResult => results.find((r) => r.id === id)!;
/** The results of one family or group, asserted to hold `count` scenarios so a loop over them is never empty. */
function family(prefix: string, count: number): ScenarioResult[] {
  const found = results.filter((r) => r.id.startsWith(prefix));
  expect(found.map((r) => r.id), prefix).toHaveLength(count);
  return found;
}
const SHARED_METRICS = ['min_ms', 'avg_ms', 'p50_ms', 'p95_ms', 'p99_ms', 'max_ms', 'stddev_ms', 'total', 'error_rate', 'ops_per_sec'];
const RESOURCE_METRICS = ['rss_mb', 'heap_used_mb', 'pool_size', 'pool_in_use', 'pool_waiting', 'sessions_open', 'sessions_peak', 'breaker_transitions'];

describe('bench category', () => {
  it('runs every bench scenario id of the catalog, in order, and all pass (timing checks measured)', () => {
    expect(SCENARIO_IDS.bench).toHaveLength(34);
    expect(results.map((r) => r.id)).toEqual(SCENARIO_IDS.bench);
    expect(results.flatMap(untimedFailures)).toEqual([]);
    for (const r of results) {
      expect(r.checks.length, r.id).toBeGreaterThan(0);
      expect(r.status, r.id).toBe(r.checks.every((c) => c.passed) ? 'passed' : 'failed');
    }
  });

  it('marks the checks that compare measured times as timing checks, with a number measured', () => {
    const timing = results.flatMap((r) => r.checks.filter((c) => c.timing).map((c) => `${r.id} ${c.name}`));
    expect(timing).toEqual([
      'bench.pagination:100 per_row_not_degraded',
      'bench.pagination:100 scales_linearly',
      'bench.bulk.bulk:10 batch_beats_one_by_one',
      'bench.bulk.bulk:50 batch_beats_one_by_one',
      'bench.bulk.bulk:100 batch_beats_one_by_one',
      'bench.concurrent.read:20 sub_linear_latency',
      'bench.concurrent.write:20 sub_linear_latency',
    ]);
    for (const r of results) for (const c of r.checks.filter((x) => x.timing)) expect(typeof c.measured, `${r.id} ${c.name}`).toBe('number');
  });

  it('records latency, throughput, resources and raw samples on every scenario', () => {
    expect(results).toHaveLength(34);
    for (const r of results) {
      for (const name of [...SHARED_METRICS, ...RESOURCE_METRICS, 'pool_peak_in_use']) {
        expect(Number.isFinite(r.metrics[name]?.value), `${r.id} ${name}`).toBe(true);
      }
      expect(r.metrics.ops_per_sec!.value, r.id).toBeGreaterThan(0);
      expect(r.metrics.error_rate!.value, r.id).toBe(0);
      expect(r.samples!.values.length, r.id).toBeGreaterThan(0);
      // benchmark.js gives a margin of error; the concurrency scenarios run their own load, without one.
      expect(Number.isFinite(r.metrics.rme_percent?.value), `${r.id} rme`).toBe(!r.id.startsWith('bench.concurrent'));
    }
  });

  it('records per-item time (mean call time / items per call), scaling factor and commit overhead', () => {
    const perItem = [
      ...family('bench.pagination:', 4).map((r) => ({ r, items: r.params.page_size })),
      ...family('bench.bulk.', 6).map((r) => ({ r, items: r.params.batch_size })),
      ...family('bench.transaction:', 4).map((r) => ({ r, items: r.params.operations })),
    ];
    for (const { r, items } of perItem) {
      expect(items, r.id).toBe(Number(r.id.split(':')[1]));
      expect(r.metrics.per_item_ms!.value, r.id).toBeCloseTo(r.metrics.avg_ms!.value / (items as number), 9);
    }
    for (const r of family('bench.concurrent.', 8)) {
      const single = r.params.concurrency === 1;
      expect(r.metrics.scaling_factor === undefined, r.id).toBe(single);
      if (!single) expect(r.metrics.scaling_factor!.value, r.id).toBeGreaterThan(0);
    }
    for (const id of ['bench.concurrent.read:20', 'bench.concurrent.write:20']) {
      expect(byId(id).metrics.scaling_factor!.value).toBeGreaterThan(0);
      expect(byId(id).checks.map((c) => c.name)).toContain('sub_linear_latency');
    }
    expect(byId('bench.transaction:1').metrics.commit_overhead_ms).toBeUndefined();
    for (const id of ['bench.transaction:5', 'bench.transaction:10', 'bench.transaction:20']) {
      expect(Number.isFinite(byId(id).metrics.commit_overhead_ms?.value), id).toBe(true);
    }
    // The scenario's own checks, then the session-leak checks every template scenario gets.
    expect(byId('bench.pagination:100').checks.map((c) => c.name)).toEqual([
      'all_operations_succeeded',
      'per_row_not_degraded',
      'scales_linearly',
      'no_sessions_open',
      'opened_equals_closed',
      'no_sessions_leaked',
      'pool_in_use_zero',
    ]);
    expect(byId('bench.bulk.bulk:50').checks.map((c) => c.name)).toContain('batch_beats_one_by_one');
  });

  it('writes the audit rows of every transaction of size N', () => {
    const check = byId('bench.transaction:20').checks.find((c) => c.name === 'audit_rows_stored')!;
    expect(check.passed).toBe(true);
    expect(check.measured as number).toBeGreaterThanOrEqual(20);
  });

  it('leaves the data layers clean: no connection in use, no open session, breaker closed', () => {
    for (const db of [t.env.db, distantDb]) {
      expect(db.poolStats().inUse).toBe(0);
      expect(db.sessions.snapshot().open).toBe(0);
      expect(db.resilience.breakerState).toBe('closed');
    }
    expect(results.every((r) => r.metrics.pool_in_use!.value === 0 && r.metrics.sessions_open!.value === 0)).toBe(true);
  });

  it('fails a benchmark whose lookups find nothing', async () => {
    const ghosts = Array.from({ length: 3 }, () => ({ id: newId(), username: `ghost_${newId()}`, email: `ghost_${newId()}@x.test` }));
    const env = { ...t.env, seed: { ...t.env.seed, live: ghosts } };
    const result = await runScenario(BENCH_SCENARIOS.find((d) => d.id === 'bench.crud.get_by_id')!, env);
    expect(result.status).toBe('failed');
    expect(result.checks[0]).toMatchObject({ name: 'all_operations_succeeded', passed: false });
    expect(String(result.checks[0]!.measured)).toMatch(/NotFoundError/);
  });

  it('fails creation when its audit rows are not stored', async () => {
    const sql = `create or replace function bench_test_drop_audit() returns trigger language plpgsql as $$ begin return null; end $$;
                 create trigger bench_test_drop_audit before insert on audit_logs for each row execute function bench_test_drop_audit()`;
    await t.env.db.write((s) => s.em.execute(sql));
    try {
      const result = await runScenario(BENCH_SCENARIOS.find((d) => d.id === 'bench.crud.create')!, t.env);
      expect(result.status).toBe('failed');
      expect(result.checks.find((c) => c.name === 'audit_rows_stored')).toMatchObject({ passed: false, measured: 0 });
      expect(result.checks.find((c) => c.name === 'all_operations_succeeded')!.passed).toBe(true);
    } finally {
      await t.env.db.write((s) => s.em.execute('drop trigger bench_test_drop_audit on audit_logs; drop function bench_test_drop_audit()'));
    }
  });
});
