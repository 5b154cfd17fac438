import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataLayer } from '../../src/db/data-layer.js';
import { isMetricName } from '../../src/results/metrics.js';
import type { ScenarioResult } from '../../src/results/types.js';
import { SCENARIO_IDS } from '../../src/suites/catalog.js';
import { runScenario, runScenarios } from '../../src/suites/scenario-runner.js';
import { SESSIONS_SCENARIOS } from '../../src/run/own-scenarios.js';
import { openSuiteTestEnv, type SuiteTestEnv } from '../support/suite-env.js';

let t: SuiteTestEnv;
let results: ScenarioResult[];
beforeAll(async () => {
  t = await openSuiteTestEnv();
  results = (await runScenarios(SESSIONS_SCENARIOS, t.env)).results;
});
afterAll(() => t.cleanup());

const CLEANUP_CHECKS = ['no_sessions_open', 'opened_equals_closed', 'no_sessions_leaked', 'pool_in_use_zero'];
/** Every check each scenario records, in order (docs/scenarios.md#sessions). */
const CHECKS: Record<string, string[]> = {
  'sessions.normal_cleanup': ['all_operations_succeeded', 'one_session_per_operation', ...CLEANUP_CHECKS, 'entity_managers_collected'],
  'sessions.exception_cleanup': ['errors_reach_caller', 'failed_writes_rolled_back', 'transient_writes_whole', ...CLEANUP_CHECKS],
  'sessions.concurrent': ['all_operations_succeeded', 'peak_sessions_within_concurrency', 'sessions_overlapped', 'peak_pool_in_use_within_max', ...CLEANUP_CHECKS],
  'sessions.memory_stability': ['all_operations_succeeded', 'memory_growth_below_50_mb', 'heap_not_growing', ...CLEANUP_CHECKS],
  'sessions.pool_leak': ['only_planned_failures', 'nothing_waiting', 'pool_size_within_max', 'no_connection_churn', ...CLEANUP_CHECKS],
  'sessions.context_tracking': ['one_session_per_use', 'create_close_ratio_1', 'nested_sessions_tracked', ...CLEANUP_CHECKS, 'tracker_detects_leak'],
  'sessions.heap_tracking': ['all_operations_succeeded', 'peak_heap_below_100_mb', 'allocation_sites_named', ...CLEANUP_CHECKS],
};
const KEY_METRICS = ['total', 'error_rate', 'rss_mb', 'heap_used_mb', 'pool_size', 'pool_in_use', 'sessions_open', 'sessions_peak',
  'sessions_opened', 'sessions_closed', 'sessions_leaked'];
const byId = (id: string) => results.find((r) => r.id === id)!;
const definition = (id: string) => SESSIONS_SCENARIOS.find((d) => d.id === id)!;
const metric = (id: string, name: string) => byId(id).metrics[name]?.value;
const measured = (id: string, check: string) => byId(id).checks.find((c) => c.name === check)?.measured;
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
    expect(SCENARIO_IDS.sessions).toHaveLength(7);
    expect(results.map((r) => r.id)).toEqual(SCENARIO_IDS.sessions);
    for (const r of results) {
      expect({ id: r.id, status: r.status, failed: failedChecks(r) }).toEqual({ id: r.id, status: 'passed', failed: [] });
      expect(r.checks.map((c) => c.name), r.id).toEqual(CHECKS[r.id]);
      expect(Object.keys(r.metrics).filter((name) => !isMetricName(name))).toEqual([]);
      for (const name of KEY_METRICS) expect(Number.isFinite(r.metrics[name]?.value), `${r.id} ${name}`).toBe(true);
      expect(r.metrics.total!.value, r.id).toBeGreaterThan(0);
      expect(r.metrics.sessions_opened!.value, r.id).toBeGreaterThan(0);
      expect(r.metrics.sessions_opened!.value).toBe(r.metrics.sessions_closed!.value);
      expect([r.metrics.sessions_leaked!.value, r.metrics.sessions_open!.value, r.metrics.pool_in_use!.value], r.id).toEqual([0, 0, 0]);
      expect(r.samples?.values.length ?? 0).toBeGreaterThan(0);
    }
  });

  it('records the key figures of each scenario', () => {
    // normal_cleanup: 20 operations at scale 0.2, one session each, one after another.
    expect([metric('sessions.normal_cleanup', 'total'), metric('sessions.normal_cleanup', 'sessions_opened')]).toEqual([20, 20]);
    expect(metric('sessions.normal_cleanup', 'p95_ms')).toBeGreaterThan(0);
    // exception_cleanup: 4 ways of failing x 2, each reaching the caller and rolled back; 2 retried writes stored.
    expect(metric('sessions.exception_cleanup', 'failed')).toBe(8);
    expect(metric('sessions.exception_cleanup', 'retries')).toBe(2);
    expect(measured('sessions.exception_cleanup', 'errors_reach_caller')).toBe('js_error 2/2, unique_violation 2/2, syntax_error 2/2, timeout 2/2');
    expect(measured('sessions.exception_cleanup', 'failed_writes_rolled_back')).toBe(0);
    // perf-gate's data layer retries the transient failure: each write commits on its second attempt.
    expect(measured('sessions.exception_cleanup', 'transient_writes_whole')).toBe('2 committed after a retry, 0 raised');
    // concurrent: 50 workers really overlapped, never more sessions than workers nor connections than the pool's max.
    expect(metric('sessions.concurrent', 'sessions_peak')).toBeGreaterThan(1);
    expect(metric('sessions.concurrent', 'sessions_peak')).toBeLessThanOrEqual(50);
    expect(metric('sessions.concurrent', 'pool_peak_in_use')).toBeLessThanOrEqual(15);
    expect(metric('sessions.concurrent', 'sessions_opened')).toBeGreaterThanOrEqual(metric('sessions.concurrent', 'total')!);
    // memory_stability: 10 batches; RSS growth below 50 MB and the settled heap flat over the last half.
    expect(metric('sessions.memory_stability', 'memory_growth_mb')).toBeLessThan(50);
    expect(Math.abs(metric('sessions.memory_stability', 'heap_growth_mb')!)).toBeLessThan(50);
    expect(measured('sessions.memory_stability', 'heap_not_growing')).toBeLessThan(0.5);
    expect(byId('sessions.memory_stability').params.heap_after_batch_mb).toMatch(/^(\d+\.\d\d ){9}\d+\.\d\d$/);
    // pool_leak: some operations failed on purpose, exactly those, and no connection churned.
    expect(byId('sessions.pool_leak').params.planned_failures).toBeGreaterThan(0);
    expect(metric('sessions.pool_leak', 'failed')).toBe(byId('sessions.pool_leak').params.planned_failures);
    expect(measured('sessions.pool_leak', 'only_planned_failures')).toMatch(/, 0 unexpected$/);
    expect(metric('sessions.pool_leak', 'unique_connections')).toBeLessThanOrEqual(15);
    // context_tracking: 2 rounds of 8 sessions, closed 1:1, three open inside the nesting, the leak control caught.
    expect(measured('sessions.context_tracking', 'one_session_per_use')).toBe(16);
    expect(measured('sessions.context_tracking', 'create_close_ratio_1')).toBe(1);
    expect(measured('sessions.context_tracking', 'nested_sessions_tracked')).toBe(3);
    expect(measured('sessions.context_tracking', 'tracker_detects_leak')).toBe('control: opened 2, closed 1, leaked 1');
    // heap_tracking: a peak below 100 MB and the top 10 allocation sites named.
    expect(metric('sessions.heap_tracking', 'peak_heap_mb')).toBeGreaterThan(0);
    expect(metric('sessions.heap_tracking', 'peak_heap_mb')).toBeLessThan(100);
    expect(measured('sessions.heap_tracking', 'allocation_sites_named')).toBe(10);
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
    const result = await runScenario(definition('sessions.normal_cleanup'), { ...t.env, db: leaky });
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
    const result = await runScenario(definition('sessions.pool_leak'), { ...t.env, db: leaky });
    expect(result.status).toBe('failed');
    expect(failedChecks(result)).toEqual(['pool_in_use_zero']);
    expect(result.metrics.pool_in_use!.value).toBe(1);
    await client.releaseConnection(await held);
  });
});
