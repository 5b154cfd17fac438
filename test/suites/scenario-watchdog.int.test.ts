import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult, ScenarioStatus } from '../../src/results/types.js';
import type { FaultProxy } from '../../src/suites/harness/fault-proxy.js';
import type { ProgressReporter } from '../../src/suites/harness/progress.js';
import { runScenarios } from '../../src/suites/scenario-runner.js';
import { check, type ScenarioDefinition } from '../../src/suites/scenario.js';
import type { DataLayerUnderTest } from '../../src/suites/subject.js';
import { openSuiteTestEnv, silentProgress, type SuiteTestEnv } from '../support/suite-env.js';

/** The watchdog's budget in this test, seconds: small, so a hung scenario costs little. */
const BUDGET_SECONDS = 1.5;
/** What the hung scenario says it is doing when it hangs. */
const HUNG_STEP = 'reading select 1 through a black-holed proxy, no client deadline';

let t: SuiteTestEnv;
beforeAll(async () => {
  t = await openSuiteTestEnv({ scenarioTimeoutSeconds: BUDGET_SECONDS });
});
afterAll(() => t?.cleanup());

/** What the hung scenario opened, so the test can check the runner released it. */
const opened: { proxy?: FaultProxy; layer?: DataLayerUnderTest; pid?: number; late?: unknown } = {};

/**
 * Connects a data layer of its own through a fault proxy, then black-holes the connection and reads
 * with no deadline of its own (a day-long operation timeout, no retries): without a watchdog this
 * never returns. What it does once the runner gave up on it is recorded, to show it cannot open more.
 */
const hung: ScenarioDefinition = {
  id: 'retry.test_blackholed_read',
  category: 'retry',
  params: {},
  async run(ctx) {
    ctx.step('opening a data layer through the fault proxy');
    const proxy = await ctx.startProxy();
    opened.proxy = proxy;
    const layer = await ctx.openDataLayer(
      { pool: { size: 1, maxOverflow: 0 }, retry: { maxRetries: 0 }, operationTimeoutSeconds: 86_400 },
      proxy.url(ctx.settings.url),
    );
    opened.layer = layer;
    await layer.read((s) => s.em.execute('select 1'));
    opened.pid = layer.poolStats().pids[0];
    await proxy.setMode({ kind: 'blackhole' });
    ctx.step(HUNG_STEP);
    try {
      await layer.read((s) => s.em.execute('select 1'));
    } finally {
      opened.late = await ctx.openDataLayer().then(
        () => 'opened',
        (error: unknown) => error,
      );
    }
    return { checks: [check('answered', false, 'answered', 'never answers')], metrics: {} };
  },
};

/** A scenario after the hung one, on the gate's data layer: the run must still get to it. */
const healthy: ScenarioDefinition = {
  id: 'retry.test_after_hang',
  category: 'retry',
  params: {},
  async run(ctx) {
    const wanted = ctx.seed.live[0]!;
    const user = await ctx.db.read((s) => s.users.getById(wanted.id));
    return { checks: [check('read_user', user.id === wanted.id, user.id, wanted.id)], metrics: {} };
  },
};

/** Polls `probe` every 50 ms until it returns true or `withinMs` passed; returns its last answer. */
async function eventually(probe: () => Promise<boolean>, withinMs: number): Promise<boolean> {
  const until = performance.now() + withinMs;
  for (;;) {
    if (await probe()) return true;
    if (performance.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the scenario watchdog', () => {
  let results: ScenarioResult[];
  const finished: Array<[string, ScenarioStatus]> = [];

  beforeAll(async () => {
    const progress: ProgressReporter = { ...silentProgress, scenarioFinished: (id, status) => finished.push([id, status]) };
    ({ results } = await runScenarios([hung, healthy], { ...t.env, progress }));
  }, 60_000);

  it('ends a hung scenario as errored, naming it, the budget and its last step, and runs the next one', () => {
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['retry.test_blackholed_read', 'errored'],
      ['retry.test_after_hang', 'passed'],
    ]);
    expect(finished).toEqual(results.map((r) => [r.id, r.status]));
    const [stuck] = results;
    if (stuck?.status !== 'errored') throw new Error('expected the hung scenario to be errored');
    expect(stuck.error.name).toBe('ScenarioTimeoutError');
    expect(stuck.error.message).toContain("'retry.test_blackholed_read'");
    expect(stuck.error.message).toContain(`${BUDGET_SECONDS} s`);
    expect(stuck.error.message).toContain(`'${HUNG_STEP}'`);
  });

  it('gives up after the configured budget, not long after', () => {
    // Generous margins: the budget is a timer, so the lower bound holds on any machine; the upper
    // bound only has to tell "released within a few seconds" from "hung until the test timed out".
    expect(results[0]!.wallMs).toBeGreaterThanOrEqual(BUDGET_SECONDS * 1000 * 0.95);
    expect(results[0]!.wallMs).toBeLessThan(BUDGET_SECONDS * 1000 + 15_000);
  });

  it("releases what the hung scenario opened: its proxy, its data layer and the server's backend", async () => {
    expect(opened.proxy?.connections).toBe(0);
    await expect(opened.proxy!.setMode({ kind: 'pass' })).rejects.toThrow(/closed/);
    expect(opened.layer?.poolStats().size).toBe(0);
    expect(opened.pid).toBeTypeOf('number');
    const backendGone = () =>
      t.env.db
        .withSession((s) => s.em.execute('select count(*)::int as n from pg_stat_activity where pid = ?', [opened.pid]))
        .then((rows) => (rows[0] as { n?: number } | undefined)?.n === 0);
    expect(await eventually(backendGone, 10_000)).toBe(true);
  });

  it('refuses new resources to a scenario it gave up on, and leaves the shared pool idle', async () => {
    expect(await eventually(async () => opened.late !== undefined, 10_000)).toBe(true);
    expect(opened.late).toBeInstanceOf(Error);
    expect(String(opened.late)).toMatch(/watchdog/);
    expect(t.env.db.poolStats()).toMatchObject({ inUse: 0, waiting: 0 });
  });
});

/** Marks the never-ending statement, so the test can look for it on the server. */
const SLEEP_MARKER = `perf_gate_watchdog_test_${process.pid}`;

/** Sleeps an hour on the gate's own data layer: a retried read whose backend never answers in time. */
const sleepingOnShared: ScenarioDefinition = {
  id: 'retry.test_endless_query',
  category: 'retry',
  params: {},
  async run(ctx) {
    ctx.step('sleeping an hour on the gate data layer');
    await ctx.db.read((s) => s.em.execute(`select pg_sleep(3600) /* ${SLEEP_MARKER} */`));
    return { checks: [check('answered', false, 'answered', 'never answers')], metrics: {} };
  },
};

describe('the scenario watchdog on a query that never returns on the gate data layer', () => {
  let results: ScenarioResult[];

  beforeAll(async () => {
    ({ results } = await runScenarios([sleepingOnShared, healthy], t.env));
  }, 60_000);

  it('ends the scenario as errored with its step, and the next scenario still gets a connection', () => {
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['retry.test_endless_query', 'errored'],
      ['retry.test_after_hang', 'passed'],
    ]);
    const [stuck] = results;
    if (stuck?.status !== 'errored') throw new Error('expected the hung scenario to be errored');
    expect(stuck.error.message).toContain("'sleeping an hour on the gate data layer'");
    expect(stuck.error.message).toMatch(/1 connection\(s\) in use/);
  });

  it('terminates the endless statement on the server, retries included, and leaves the pool idle', async () => {
    const running = () =>
      t.env.db
        .withSession((s) =>
          s.em.execute(`select count(*)::int as n from pg_stat_activity where query like ? and pid <> pg_backend_pid()`, [`%${SLEEP_MARKER}%`]),
        )
        .then((rows) => (rows[0] as { n?: number } | undefined)?.n ?? -1);
    expect(await eventually(async () => (await running()) === 0, 5000)).toBe(true);
    // Stays at 0: no retry of the abandoned read comes back after the runner let go.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await running()).toBe(0);
    expect(t.env.db.poolStats()).toMatchObject({ inUse: 0, waiting: 0 });
    expect(t.env.db.sessions.snapshot().open).toBe(0);
  });
});
