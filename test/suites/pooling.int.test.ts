import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_NAME } from '../../src/db/orm.js';
import type { ScenarioResult } from '../../src/results/types.js';
import { SCENARIO_IDS } from '../../src/suites/catalog.js';
import { POOLING_SCENARIOS } from '../../src/run/own-scenarios.js';
import type { ScenarioDefinition } from '../../src/suites/scenario.js';
import { runScenario, runScenarios } from '../../src/suites/scenario-runner.js';
import { openSuiteTestEnv, type SuiteTestEnv } from '../support/suite-env.js';
import { untimedFailures } from '../support/checks.js';

/**
 * Overflow connections of the shared pool close after DATABASE_POOL_IDLE_TIMEOUT (10 s by default);
 * the test that counts the server's connections after the whole category waits for that: 1 s keeps
 * this file quick.
 */
const IDLE_TIMEOUT_SECONDS = 1;

let t: SuiteTestEnv;
let results: ScenarioResult[];
/** The server's count of the data layer's connections before the category ran. */
let serverBefore: number;

/** pg_stat_activity's count of this database's connections under the data layer's name, asked from a client of its own. */
async function countOnServer(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, application_name: 'perf-gate-test-observer' });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where application_name = $1 and datname = current_database()',
      [APPLICATION_NAME],
    );
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  t = await openSuiteTestEnv({}, 500, 1234, { pool: { idleTimeoutSeconds: IDLE_TIMEOUT_SECONDS } });
  serverBefore = await countOnServer(t.env.db.settings.url);
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

  it("brings the server's count of the run's connections back to where it started after each load", async () => {
    const { size } = t.env.db.settings.pool;
    for (const id of ['pooling.normal_load', 'pooling.high_load']) {
      const released = byId(id).checks.find((c) => c.name === 'connections_released');
      expect(released, id).toMatchObject({ passed: true });
      expect(released!.measured as number).toBeLessThanOrEqual(0);
    }
    // Seen from outside the data layer too: after the whole category, no more than before it,
    // or the pool's persistent connections, within the pool's idle timeout (polled, bounded).
    const allowed = Math.max(serverBefore, size);
    const until = performance.now() + IDLE_TIMEOUT_SECONDS * 1000 + 10_000;
    let now = await countOnServer(t.env.db.settings.url);
    while (now > allowed && performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      now = await countOnServer(t.env.db.settings.url);
    }
    expect(now).toBeLessThanOrEqual(allowed);
  });

  it('fails connections_released when a connection under the data layer\'s name outlives the load', async () => {
    const normal = POOLING_SCENARIOS.find((d) => d.id === 'pooling.normal_load')!;
    // A connection the pool does not know, opened with the data layer's name while the load runs:
    // what a connection the pool lost track of looks like to the server.
    const orphan = new pg.Client({ connectionString: t.env.db.settings.url, application_name: APPLICATION_NAME });
    let connected: Promise<unknown> | undefined;
    const leaking: ScenarioDefinition = {
      ...normal,
      run: (ctx) =>
        normal.run({
          ...ctx,
          step: (description) => {
            ctx.step(description);
            if (description.startsWith('measured load')) connected ??= orphan.connect();
          },
          // The scenario's own pool closes before the server's connections are counted again: that
          // close waits for the orphan to be connected, so a short load cannot outrun its connect.
          openDataLayer: async (...args) => {
            const layer = await ctx.openDataLayer(...args);
            const close = layer.close.bind(layer);
            return Object.assign(layer, {
              close: async () => {
                await connected;
                await close();
              },
            });
          },
        }),
    };
    try {
      const result = await runScenario(leaking, t.env);
      await connected;
      expect(result.status).toBe('failed');
      const released = result.checks.find((c) => c.name === 'connections_released');
      expect(released).toMatchObject({ passed: false });
      expect(released!.measured as number).toBeGreaterThanOrEqual(1);
    } finally {
      await connected?.catch(() => undefined);
      await orphan.end().catch(() => undefined);
    }
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
