import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseThresholds } from '../../src/config/thresholds.js';
import { DEFAULT_DB_SETTINGS } from '../../src/db/settings.js';
import { GateSession } from '../../src/run/gate-session.js';
import { runAndJudge } from '../../src/run/pipeline.js';
import { createPlainProgress } from '../../src/suites/harness/progress.js';
import { DEFAULT_SUITE_OPTIONS, timingCheck, type ScenarioDefinition } from '../../src/suites/scenario.js';
import { serverUrl } from '../support/database.js';

const LIMIT_MS = 150;
const thresholds = parseThresholds({}, 'pipeline test thresholds');
let session: GateSession;

beforeAll(async () => {
  session = await GateSession.open({
    serverUrl: serverUrl(),
    db: DEFAULT_DB_SETTINGS,
    keepDatabase: false,
    seedUsers: 300,
    seed: 7,
    suite: { ...DEFAULT_SUITE_OPTIONS, scale: 0.05 },
    progress: createPlainProgress({ write: () => true }),
    log: () => undefined,
  });
}, 60_000);
afterAll(() => session?.close());

/**
 * A scenario whose timing check times a real `pg_sleep` on the gate's database: the n-th run sleeps
 * `sleepsMs[n]` (the last value repeats) against a limit of LIMIT_MS, so the test decides whether
 * the first run and the re-run pass it.
 */
function sleepingScenario(sleepsMs: number[]): ScenarioDefinition & { runs: number } {
  const definition = {
    id: 'bench.pagination:100',
    category: 'bench' as const,
    params: {},
    runs: 0,
    async run(ctx: Parameters<ScenarioDefinition['run']>[0]) {
      const sleepMs = sleepsMs[Math.min(definition.runs, sleepsMs.length - 1)]!;
      definition.runs += 1;
      const started = performance.now();
      await ctx.db.read((s) => s.em.execute(`select pg_sleep(${sleepMs / 1000})`));
      const ms = performance.now() - started;
      return { checks: [timingCheck('scales_linearly', ms <= LIMIT_MS, ms, `<= ${LIMIT_MS} ms`)], metrics: {} };
    },
  };
  return definition;
}

const judge = (definition: ScenarioDefinition, confirmRerun = true) =>
  runAndJudge({ session, definitions: [definition], label: { toolVersion: 'test' }, thresholds, history: [], confirmRerun, log: () => undefined });

describe('runAndJudge with a failed timing check', () => {
  it('re-runs the scenario and keeps the check as a warning when the re-run passes it', async () => {
    const scenario = sleepingScenario([400, 0]);
    const judged = await judge(scenario);
    expect(scenario.runs).toBe(2);
    expect(judged.rerun).toEqual(['bench.pagination:100']);
    expect(judged.results.scenarios[0]).toMatchObject({ status: 'failed' });
    expect(judged.comparison.outcome).toMatchObject({ kind: 'pass', failedChecks: 0, warnings: 1 });
    const [failed] = judged.comparison.failedChecks;
    expect(failed).toMatchObject({ severity: 'warn', check: { name: 'scales_linearly', timing: true }, rerun: { passed: true } });
    expect(failed!.check.measured as number).toBeGreaterThanOrEqual(400);
  }, 60_000);

  it('fails when the re-run fails the check too', async () => {
    const scenario = sleepingScenario([400]);
    const judged = await judge(scenario);
    expect(scenario.runs).toBe(2);
    expect(judged.comparison.outcome).toMatchObject({ kind: 'fail', failedChecks: 1 });
    expect(judged.comparison.failedChecks[0]).toMatchObject({ severity: 'fail', rerun: { passed: false } });
  }, 60_000);

  it('fails at once, without a re-run, when confirmation is off', async () => {
    const scenario = sleepingScenario([400, 0]);
    const judged = await judge(scenario, false);
    expect(scenario.runs).toBe(1);
    expect(judged.rerun).toEqual([]);
    expect(judged.comparison.outcome).toMatchObject({ kind: 'fail', failedChecks: 1 });
  }, 60_000);
});
