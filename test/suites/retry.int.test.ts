/**
 * The retry category of perf-gate's own data layer, as its perf-file spec (suites/retry: the
 * faults template with the layer's policy) expands it, on the test database at a small scale.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../src/results/types.js';
import { RETRY_SCENARIOS } from '../../src/run/own-scenarios.js';
import { SCENARIO_IDS } from '../../src/suites/catalog.js';
import { OWN_RETRY_POLICY } from '../../src/suites/retry/index.js';
import { runScenarios } from '../../src/suites/scenario-runner.js';
import { openSuiteTestEnv, type SuiteTestEnv } from '../support/suite-env.js';
import { untimedFailures } from '../support/checks.js';

let t: SuiteTestEnv;
let results: ScenarioResult[];

beforeAll(async () => {
  t = await openSuiteTestEnv();
  ({ results } = await runScenarios([...RETRY_SCENARIOS], t.env));
});
afterAll(() => t.cleanup());

const byId = (id: string): ScenarioResult => {
  const found = results.find((r) => r.id === id);
  if (!found) throw new Error(`no result for ${id}`);
  return found;
};
const metric = (id: string, name: string) => byId(id).metrics[name]?.value;
const checkOf = (id: string, name: string) => byId(id).checks.find((c) => c.name === name);

describe('retry category', () => {
  it('runs every retry scenario of the catalog, in order, and each passes (timing checks measured)', () => {
    expect(results.map((r) => r.id)).toEqual(SCENARIO_IDS.retry);
    for (const result of results) {
      expect({ id: result.id, failed: untimedFailures(result) }).toEqual({ id: result.id, failed: [] });
      expect(result.status).toBe(result.checks.every((c) => c.passed) ? 'passed' : 'failed');
      expect(result.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['pool_back_to_zero_in_use', 'opened_equals_closed']));
      for (const name of ['rss_mb', 'pool_in_use', 'sessions_peak']) expect(result.metrics).toHaveProperty(name);
    }
  });

  it('recovers from 30% of statements answered with a serialization failure, retrying as its policy says', () => {
    const failureRate = metric('retry.transient_failures', 'failure_rate')!;
    expect(failureRate).toBeGreaterThan(0.2);
    expect(failureRate).toBeLessThan(0.4);
    expect(metric('retry.transient_failures', 'recovery_rate')).toBeGreaterThan(failureRate);
    expect(metric('retry.transient_failures', 'error_rate')).toBeLessThan(0.05);
    expect(metric('retry.transient_failures', 'retries')).toBeGreaterThan(0);
    expect(checkOf('retry.transient_failures', 'attempts_as_policy')?.passed).toBe(true);
    expect(byId('retry.transient_failures').samples?.values.length).toBeGreaterThan(0);
  });

  it('trips the breaker at 5 failures and recovers, gives up on slow and silent servers, and backs off 0.1/0.2/0.4/0.8 s', () => {
    expect(checkOf('retry.circuit_breaker', 'opens_at_threshold')?.measured).toBe(5);
    expect(checkOf('retry.circuit_breaker', 'half_open_single_probe')?.measured).toBe(1);
    expect(metric('retry.circuit_breaker', 'breaker_open_ms')).toBeGreaterThanOrEqual(500);
    // Every slow and silent call failed, none answered or left hanging (a number is measured then), and none before the policy's limit.
    expect(checkOf('retry.timeout', 'slow_calls_time_out')?.measured).toBeTypeOf('number');
    expect(checkOf('retry.timeout', 'silent_call_times_out')?.measured).toBeTypeOf('number');
    expect(metric('retry.timeout', 'timeout_ms')).toBeGreaterThanOrEqual(OWN_RETRY_POLICY.timeoutMs!);
    expect(checkOf('retry.exponential_backoff', 'succeeded_on_last_attempt')?.passed).toBe(true);
    // Each call's gaps, one per planned delay, none shorter than it (a retry never comes early, however loaded the machine).
    const gaps = String(checkOf('retry.exponential_backoff', 'delays_follow_progression')?.measured).split(' ').map((call) => call.split('/').map(Number));
    for (const call of gaps) call.forEach((gap, n) => expect(gap).toBeGreaterThanOrEqual(OWN_RETRY_POLICY.retryDelaysMs[n]! - 5));
    expect(gaps.map((call) => call.length)).toEqual(gaps.map(() => OWN_RETRY_POLICY.retryDelaysMs.length));
  });

  it('survives a retry storm with bounded attempts and serves requests after it', () => {
    expect(metric('retry.retry_storm', 'total')).toBe(40);
    expect(metric('retry.retry_storm', 'failed')).toBeGreaterThan(0);
    expect(metric('retry.retry_storm', 'successful')).toBeGreaterThan(0);
    expect(metric('retry.retry_storm', 'recovery_ms')).toBeTypeOf('number');
    expect(checkOf('retry.retry_storm', 'storm_attempts_bounded')?.passed).toBe(true);
  });

  it('leaves the shared data layer untouched: no connection in use, its breaker never moved', () => {
    expect(t.env.db.poolStats()).toMatchObject({ inUse: 0, waiting: 0 });
    expect(t.env.db.resilience.snapshot().transitions).toEqual([]);
    expect(t.env.db.sessions.snapshot().open).toBe(0);
  });
});
