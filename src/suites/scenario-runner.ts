import { percentileOf } from '../common/statistics.js';
import type { Category, ScenarioResult } from '../results/types.js';
import { toErrorInfo } from './harness/error-info.js';
import { toMetric } from './harness/latency-metrics.js';
import { settleGc } from './harness/memory.js';
import type { ProgressReporter } from './harness/progress.js';
import type { Random } from './harness/random.js';
import { ScenarioResources } from './scenario-resources.js';
import { runWithWatchdog } from './scenario-watchdog.js';
import { scenarioBudgetMs, type ReferenceSampler, type ScenarioDefinition, type SuiteOptions } from './scenario.js';
import type { SeedData } from './seed.js';
import type { DataLayerUnderTest, OpenDataLayer } from './subject.js';

/** Reference calls timed before and after each scenario. */
const REFERENCE_SAMPLES = 25;

/** What the runner needs besides the scenarios. */
export interface RunnerEnvironment {
  /** The gate's data layer under test, on the seeded database. */
  db: DataLayerUnderTest;
  /** Opens the further data layers a scenario asks for (a tiny pool, a connection through a proxy). */
  openDataLayer: OpenDataLayer;
  seed: SeedData;
  /** A perf file's `data` and `app` (scenario.ts's ScenarioContext); `data` is `seed` when not given. */
  data?: unknown;
  app?: unknown;
  random: Random;
  options: SuiteOptions;
  progress: ProgressReporter;
  /** Raw `pg` timings taken right around each scenario (its machine-speed reference), if any. */
  reference?: ReferenceSampler;
  /** Clock in ms (performance.now by default). */
  now?: () => number;
  /**
   * Collect garbage before the scenario (default true). A duet round after the scenario's first
   * skips it: the garbage left is the same scenario's, and two forced full collections of a
   * worker's heap cost about 100 ms, more than a bench round's measuring.
   */
  settleGcBefore?: boolean;
}

/** What a scenario measured, before the runner adds its id, category and wall time. */
type Measured = Pick<ScenarioResult, 'checks' | 'metrics' | 'samples' | 'params'> & { status: 'passed' | 'failed' };

/** The scenario itself, between two reference samplings, with the runner's own steps logged. */
async function measureScenario(definition: ScenarioDefinition, env: RunnerEnvironment, resources: ScenarioResources): Promise<Measured> {
  const { steps } = resources;
  // Start every scenario without the garbage of the ones before it, so a major collection of
  // someone else's objects does not land in this scenario's timings.
  if (env.settleGcBefore ?? true) {
    steps.set('collecting garbage before the scenario');
    await settleGc();
  }
  steps.set('timing the raw pg reference before the scenario');
  const before = (await env.reference?.sample(REFERENCE_SAMPLES)) ?? [];
  steps.set('running (the scenario reported no step)');
  const outcome = await definition.run(resources.context());
  steps.set('timing the raw pg reference after the scenario');
  const after = (await env.reference?.sample(REFERENCE_SAMPLES)) ?? [];
  const reference = [...before, ...after];
  return {
    params: { ...definition.params, ...outcome.params },
    status: outcome.checks.every((c) => c.passed) ? 'passed' : 'failed',
    checks: outcome.checks,
    // A scenario that interleaved its own reference calls keeps that closer reading.
    metrics:
      reference.length > 0 && !outcome.metrics.reference_ms
        ? { ...outcome.metrics, reference_ms: toMetric('reference_ms', percentileOf(reference, 50)) }
        : outcome.metrics,
    ...(outcome.samples ? { samples: outcome.samples } : {}),
  };
}

/**
 * Runs one scenario under the watchdog (`scenarioBudgetMs` of the options): a throw, or a scenario
 * still running when its budget runs out, becomes an `errored` result and never stops the run.
 */
export async function runScenario(definition: ScenarioDefinition, env: RunnerEnvironment): Promise<ScenarioResult> {
  const now = env.now ?? (() => performance.now());
  const started = now();
  const resources = new ScenarioResources(env, definition.id, now);
  const base = { id: definition.id, category: definition.category, params: { ...definition.params } };
  const budgetMs = scenarioBudgetMs(env.options);
  try {
    const measured = await runWithWatchdog(measureScenario(definition, env, resources), budgetMs, () => resources.abandon(budgetMs));
    return { ...base, ...measured, wallMs: now() - started };
  } catch (error) {
    return { ...base, status: 'errored', error: toErrorInfo(error), checks: [], metrics: {}, wallMs: now() - started };
  } finally {
    await resources.close();
  }
}

/** Runs scenarios in order, reporting progress; returns the results and each category's wall time. */
export async function runScenarios(
  definitions: readonly ScenarioDefinition[],
  env: RunnerEnvironment,
): Promise<{ results: ScenarioResult[]; categoryMs: Partial<Record<Category, number>> }> {
  const now = env.now ?? (() => performance.now());
  const results: ScenarioResult[] = [];
  const categoryMs: Partial<Record<Category, number>> = {};
  let index = 0;
  for (const category of new Set(definitions.map((d) => d.category))) {
    const started = now();
    const mine = definitions.filter((d) => d.category === category);
    for (const definition of mine) {
      env.progress.scenarioStarted(definition.id, index++, definitions.length);
      const result = await runScenario(definition, env);
      env.progress.scenarioFinished(definition.id, result.status, result.wallMs);
      results.push(result);
    }
    categoryMs[category] = now() - started;
    const own = results.filter((r) => r.category === category);
    env.progress.categoryFinished(category, {
      passed: own.filter((r) => r.status === 'passed').length,
      failed: own.filter((r) => r.status === 'failed').length,
      errored: own.filter((r) => r.status === 'errored').length,
      wallMs: categoryMs[category]!,
    });
  }
  return { results, categoryMs };
}
