import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../src/results/types.js';
import { SCENARIO_IDS } from '../../src/suites/catalog.js';
import { POOLING_SCENARIOS } from '../../src/suites/pooling/index.js';
import { runScenario, runScenarios } from '../../src/suites/scenario-runner.js';
import { openSuiteTestEnv, type SuiteTestEnv } from '../support/suite-env.js';
import { untimedFailures } from '../support/checks.js';

let t: SuiteTestEnv;
let results: ScenarioResult[];

beforeAll(async () => {
  t = await openSuiteTestEnv();
  ({ results } = await runScenarios(POOLING_SCENARIOS, t.env));
});
afterAll(() => t.cleanup());

const byId = (id: string): ScenarioResult => {
  const found = results.find((r) => r.id === id);
  if (!found) throw new Error(`no result for ${id}`);
  return found;
};
const checkNames = (id: string) => byId(id).checks.map((c) => c.name);
const metric = (id: string, name: string) => byId(id).metrics[name]?.value;

describe('pooling category', () => {
  it('runs every pooling scenario of the catalog, in order, and each passes (timing checks measured)', () => {
    expect(results.map((r) => r.id)).toEqual(SCENARIO_IDS.pooling);
    for (const result of results) {
      expect({ id: result.id, failed: untimedFailures(result) }).toEqual({ id: result.id, failed: [] });
      expect(result.status).toBe(result.checks.every((c) => c.passed) ? 'passed' : 'failed');
      expect(result.checks.length).toBeGreaterThan(0);
      expect(result.metrics).toHaveProperty('rss_mb');
      expect(result.metrics).toHaveProperty('pool_in_use');
      expect(result.metrics).toHaveProperty('breaker_transitions');
    }
  });

  it('records latency, throughput and pool peaks under load', () => {
    for (const id of ['pooling.normal_load', 'pooling.high_load']) {
      expect(checkNames(id)).toEqual(expect.arrayContaining(['pool_peak_in_use_within_max', 'pool_back_to_zero_in_use']));
      for (const name of ['avg_ms', 'p95_ms', 'p99_ms', 'stddev_ms', 'ops_per_sec', 'error_rate', 'pool_peak_in_use']) {
        expect(metric(id, name), `${id} ${name}`).toBeTypeOf('number');
      }
      expect(byId(id).samples?.values.length).toBeGreaterThan(0);
    }
    expect(metric('pooling.normal_load', 'total')).toBe(20 * 2);
    expect(metric('pooling.high_load', 'total')).toBe(100);
    expect(metric('pooling.high_load', 'pool_peak_waiting')).toBeGreaterThan(0);
    expect(metric('pooling.high_load', 'pool_peak_in_use')).toBeLessThanOrEqual(15);
  });

  it('shows queueing and acquire timeouts on a tiny pool, reuse of connections, and consistent statistics', () => {
    expect(checkNames('pooling.exhaustion')).toEqual(
      expect.arrayContaining(['queueing_observed', 'excess_failed_with_acquire_timeout', 'pool_back_to_zero_in_use_after_timeouts']),
    );
    expect(metric('pooling.exhaustion', 'pool_peak_in_use')).toBe(3);
    const unique = metric('pooling.recycling', 'unique_connections')!;
    expect(unique).toBeGreaterThan(0);
    expect(unique).toBeLessThanOrEqual(15);
    expect(checkNames('pooling.monitoring')).toEqual(expect.arrayContaining(['stats_consistent', 'server_sees_pool_connections']));
  });

  it('leaves the shared pool with no connection in use and the breaker closed', () => {
    expect(t.env.db.poolStats()).toMatchObject({ inUse: 0, waiting: 0 });
    expect(t.env.db.resilience.breakerState).toBe('closed');
    expect(t.env.db.sessions.snapshot().open).toBe(0);
  });

  it('fails when a connection stays checked out (a leak) or the reads are broken', async () => {
    const recycling = POOLING_SCENARIOS.find((d) => d.id === 'pooling.recycling')!;
    const hog = t.env.db.withSession((s) => s.em.transactional((tx) => tx.execute('select pg_sleep(2.5)')));
    const leaked = await runScenario(recycling, t.env);
    await hog;
    expect(leaked.status).toBe('failed');
    expect(leaked.checks.find((c) => c.name === 'pool_back_to_zero_in_use')).toMatchObject({ passed: false, measured: 1 });

    const normal = POOLING_SCENARIOS.find((d) => d.id === 'pooling.normal_load')!;
    const missingUsers = t.env.seed.live.map((user) => ({ ...user, id: '00000000-0000-4000-8000-000000000000' }));
    const broken = await runScenario(normal, { ...t.env, seed: { ...t.env.seed, live: missingUsers } });
    expect(broken.status).toBe('failed');
    expect(broken.checks.find((c) => c.name === 'error_rate_below_1_percent')).toMatchObject({ passed: false, measured: 1 });
  });
});
