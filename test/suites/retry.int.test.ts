import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../src/results/types.js';
import { SCENARIO_IDS } from '../../src/suites/catalog.js';
import { RETRY_SCENARIOS } from '../../src/suites/retry/index.js';
import { runScenario, runScenarios } from '../../src/suites/scenario-runner.js';
import type { ScenarioDefinition } from '../../src/suites/scenario.js';
import { openSuiteTestEnv, type SuiteTestEnv } from '../support/suite-env.js';
import { untimedFailures } from '../support/checks.js';

let t: SuiteTestEnv;
let results: ScenarioResult[];

beforeAll(async () => {
  t = await openSuiteTestEnv();
  ({ results } = await runScenarios(RETRY_SCENARIOS, t.env));
});
afterAll(() => t.cleanup());

const byId = (id: string): ScenarioResult => {
  const found = results.find((r) => r.id === id);
  if (!found) throw new Error(`no result for ${id}`);
  return found;
};
const metric = (id: string, name: string) => byId(id).metrics[name]?.value;
const checkOf = (result: ScenarioResult, name: string) => result.checks.find((c) => c.name === name);
const definition = (id: string): ScenarioDefinition => RETRY_SCENARIOS.find((d) => d.id === id)!;

describe('retry category', () => {
  it('runs every retry scenario of the catalog, in order, and each passes (timing checks measured)', () => {
    expect(results.map((r) => r.id)).toEqual(SCENARIO_IDS.retry);
    for (const result of results) {
      expect({ id: result.id, failed: untimedFailures(result) }).toEqual({ id: result.id, failed: [] });
      expect(result.status).toBe(result.checks.every((c) => c.passed) ? 'passed' : 'failed');
      expect(result.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['pool_back_to_zero_in_use', 'shared_breaker_closed']));
      for (const name of ['rss_mb', 'pool_in_use', 'sessions_peak', 'breaker_transitions']) expect(result.metrics).toHaveProperty(name);
    }
  });

  it('recovers from 30% injected transient failures', () => {
    const failureRate = metric('retry.transient_failures', 'failure_rate')!;
    expect(failureRate).toBeGreaterThan(0.2);
    expect(failureRate).toBeLessThan(0.4);
    expect(metric('retry.transient_failures', 'recovery_rate')).toBeGreaterThan(failureRate);
    expect(metric('retry.transient_failures', 'error_rate')).toBeLessThan(0.05);
    expect(metric('retry.transient_failures', 'retries')).toBeGreaterThan(0);
    expect(byId('retry.transient_failures').samples?.values.length).toBeGreaterThan(0);
  });

  it('trips the breaker at 5 and recovers, times out slow work, and backs off 0.1/0.2/0.4/0.8 s', () => {
    expect(checkOf(byId('retry.circuit_breaker'), 'opens_at_threshold')?.measured).toBe(5);
    expect(metric('retry.circuit_breaker', 'breaker_transitions')).toBe(5);
    expect(metric('retry.circuit_breaker', 'breaker_open_ms')).toBeGreaterThanOrEqual(500);
    expect(metric('retry.timeout', 'timeout_ms')).toBeLessThan(500);
    expect(metric('retry.timeout', 'orphan_queries')).toBe(0);
    expect(checkOf(byId('retry.exponential_backoff'), 'policy_delays_exact')?.measured).toBe('100,200,400,800');
    expect(metric('retry.exponential_backoff', 'backoff_error_ms')).toBeLessThan(60);
  });

  it('survives a retry storm and serves requests after it', () => {
    expect(metric('retry.retry_storm', 'total')).toBe(40);
    expect(metric('retry.retry_storm', 'failed')).toBeGreaterThan(0);
    expect(metric('retry.retry_storm', 'successful')).toBeGreaterThan(0);
    expect(metric('retry.retry_storm', 'recovery_ms')).toBeTypeOf('number');
    expect(metric('retry.retry_storm', 'breaker_transitions')).toBeGreaterThanOrEqual(3);
  });

  it('leaves the shared data layer with no connection in use and its breaker closed', () => {
    expect(t.env.db.poolStats()).toMatchObject({ inUse: 0, waiting: 0 });
    expect(t.env.db.resilience.snapshot().transitions).toEqual([]);
    expect(t.env.db.sessions.snapshot().open).toBe(0);
  });

  it('fails when the data layer does not retry, or backs off on another schedule', async () => {
    const noRetries = await t.data.openAnother({ retry: { maxRetries: 0 } });
    const transient = await runScenario(definition('retry.transient_failures'), { ...t.env, db: noRetries });
    expect(transient.status).toBe('failed');
    expect(checkOf(transient, 'error_rate_below_5_percent')?.passed).toBe(false);
    expect(checkOf(transient, 'recovery_rate_above_failure_rate')).toMatchObject({ passed: false, measured: 0 });

    const fasterBackoff = await t.data.openAnother({ retry: { delaySeconds: 0.05 } });
    const backoff = await runScenario(definition('retry.exponential_backoff'), { ...t.env, db: fasterBackoff });
    expect(backoff.status).toBe('failed');
    expect(checkOf(backoff, 'policy_delays_exact')).toMatchObject({ passed: false, measured: '50,100,200,400' });
    expect(checkOf(backoff, 'delays_follow_progression')?.passed).toBe(false);
  });
});
