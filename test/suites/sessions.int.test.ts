import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataLayer } from '../../src/db/data-layer.js';
import { isMetricName } from '../../src/results/metrics.js';
import type { ScenarioResult } from '../../src/results/types.js';
import { SCENARIO_IDS } from '../../src/suites/catalog.js';
import { runScenario, runScenarios } from '../../src/suites/scenario-runner.js';
import { SESSIONS_SCENARIOS } from '../../src/suites/sessions/index.js';
import { normalCleanup } from '../../src/suites/sessions/normal-cleanup.js';
import { poolLeak } from '../../src/suites/sessions/pool-leak.js';
import { openSuiteTestEnv, type SuiteTestEnv } from '../support/suite-env.js';

let t: SuiteTestEnv;
let results: ScenarioResult[];
beforeAll(async () => {
  t = await openSuiteTestEnv();
  results = (await runScenarios(SESSIONS_SCENARIOS, t.env)).results;
});
afterAll(() => t.cleanup());

const CLEANUP_CHECKS = ['no_sessions_open', 'opened_equals_closed', 'no_sessions_leaked', 'pool_in_use_zero'];
const KEY_METRICS = ['total', 'error_rate', 'rss_mb', 'heap_used_mb', 'pool_size', 'pool_in_use', 'sessions_open', 'sessions_peak',
  'sessions_opened', 'sessions_closed', 'sessions_leaked'];
const byId = (id: string) => results.find((r) => r.id === id)!;
const metric = (id: string, name: string) => byId(id).metrics[name]?.value;
const failedChecks = (r: ScenarioResult) => r.checks.filter((c) => !c.passed).map((c) => c.name);

/** The data layer `layer`, except that `withSession` also runs `extra` (a deliberate defect). */
function withDefect(layer: DataLayer, extra: () => void): DataLayer {
  return new Proxy(layer, {
    get(target, prop, receiver) {
      if (prop !== 'withSession') return Reflect.get(target, prop, receiver);
      return (...args: Parameters<DataLayer['withSession']>) => {
        extra();
        return target.withSession(...args);
      };
    },
  });
}

describe('sessions category at reduced scale', () => {
  it('runs every scenario of the category, in catalog order, and all pass', () => {
    expect(results.map((r) => r.id)).toEqual(SCENARIO_IDS.sessions);
    for (const r of results) {
      expect({ id: r.id, status: r.status, failed: failedChecks(r) }).toEqual({ id: r.id, status: 'passed', failed: [] });
      expect(r.checks.length).toBeGreaterThanOrEqual(4);
      expect(r.checks.map((c) => c.name)).toEqual(expect.arrayContaining(CLEANUP_CHECKS));
      expect(Object.keys(r.metrics).filter((name) => !isMetricName(name))).toEqual([]);
      for (const name of KEY_METRICS) expect(r.metrics[name], `${r.id} ${name}`).toBeDefined();
      expect(r.metrics.sessions_opened!.value).toBe(r.metrics.sessions_closed!.value);
      expect(r.metrics.pool_in_use!.value).toBe(0);
      expect(r.samples?.values.length ?? 0).toBeGreaterThan(0);
    }
  });

  it('records the key figures of each scenario', () => {
    expect(metric('sessions.normal_cleanup', 'sessions_opened')).toBeGreaterThanOrEqual(20);
    expect(metric('sessions.normal_cleanup', 'p95_ms')).toBeGreaterThan(0);
    expect(metric('sessions.exception_cleanup', 'failed')).toBe(8);
    expect(metric('sessions.exception_cleanup', 'retries')).toBe(2);
    expect(metric('sessions.concurrent', 'sessions_peak')).toBeLessThanOrEqual(50);
    expect(metric('sessions.concurrent', 'pool_peak_in_use')).toBeLessThanOrEqual(15);
    expect(metric('sessions.memory_stability', 'memory_growth_mb')).toBeLessThan(50);
    expect(metric('sessions.memory_stability', 'heap_growth_mb')).toBeDefined();
    expect(byId('sessions.memory_stability').params.heap_after_batch_mb).toMatch(/^(\d+\.\d\d ){9}\d+\.\d\d$/);
    expect(metric('sessions.pool_leak', 'unique_connections')).toBeLessThanOrEqual(15);
    expect(metric('sessions.pool_leak', 'failed')).toBe(byId('sessions.pool_leak').params.planned_failures);
    expect(byId('sessions.context_tracking').checks.find((c) => c.name === 'create_close_ratio_1')?.measured).toBe(1);
    expect(metric('sessions.heap_tracking', 'peak_heap_mb')).toBeLessThan(100);
    expect(byId('sessions.heap_tracking').params.top_sites).toMatch(/^.+ \(.+\) \d+ KB(; .+ \(.+\) \d+ KB){9}$/);
  });

  it('leaves the shared data layer clean: no session open, pool 0 in use, breaker closed', () => {
    expect(t.env.db.sessions.snapshot()).toMatchObject({ open: 0, leaked: 0 });
    expect(t.env.db.poolStats()).toMatchObject({ inUse: 0, waiting: 0 });
    expect(t.env.db.resilience.breakerState).toBe('closed');
  });

  it('fails normal_cleanup when every session also opens one that is dropped unclosed', async () => {
    const layer = await t.data.openAnother();
    const leaky = withDefect(layer, () => void layer.sessions.track({ dropped: new Array(100).fill(0) }));
    const result = await runScenario(normalCleanup, { ...t.env, db: leaky });
    expect(result.status).toBe('failed');
    expect(failedChecks(result)).toEqual(['opened_equals_closed', 'no_sessions_leaked']);
    expect(result.metrics.sessions_leaked!.value).toBeGreaterThanOrEqual(19);
  });

  it('fails pool_leak when a connection is checked out and never returned', async () => {
    const layer = await t.data.openAnother();
    type KnexClient = { acquireConnection(): Promise<unknown>; releaseConnection(connection: unknown): Promise<void> };
    const client = layer.orm.em.getConnection().getKnex().client as KnexClient;
    let held: Promise<unknown> | undefined;
    const leaky = withDefect(layer, () => void (held ??= client.acquireConnection()));
    const result = await runScenario(poolLeak, { ...t.env, db: leaky });
    expect(result.status).toBe('failed');
    expect(failedChecks(result)).toEqual(['pool_in_use_zero']);
    expect(result.metrics.pool_in_use!.value).toBe(1);
    await client.releaseConnection(await held);
  });
});
