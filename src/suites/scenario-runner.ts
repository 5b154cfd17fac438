import { overrideDbSettings } from '../config/db-settings.js';
import { DataLayer } from '../db/data-layer.js';
import type { Category, ScenarioResult } from '../results/types.js';
import { startFaultProxy, type FaultProxy } from './harness/fault-proxy.js';
import { toErrorInfo } from './harness/error-info.js';
import { settleGc } from './harness/memory.js';
import type { ProgressReporter } from './harness/progress.js';
import type { Random } from './harness/random.js';
import { percentileOf, toMetric } from './harness/stats.js';
import type { ReferenceSampler, ScenarioContext, ScenarioDefinition, SuiteOptions } from './scenario.js';
import type { SeedData } from './seed.js';

/** Reference calls timed before and after each scenario. */
const REFERENCE_SAMPLES = 25;

/** What the runner needs besides the scenarios. */
export interface RunnerEnvironment {
  db: DataLayer;
  seed: SeedData;
  random: Random;
  options: SuiteOptions;
  progress: ProgressReporter;
  /** Raw `pg` timings taken right around each scenario (its machine-speed reference), if any. */
  reference?: ReferenceSampler;
  /** Clock in ms (performance.now by default). */
  now?: () => number;
}

/** Resources a scenario opened, closed when it ends whatever happened. */
class ScenarioResources {
  private readonly layers: DataLayer[] = [];
  private readonly proxies: FaultProxy[] = [];

  constructor(private readonly env: RunnerEnvironment) {}

  context(): ScenarioContext {
    const { db, seed, random, options } = this.env;
    return {
      db,
      settings: db.settings,
      seed,
      random,
      options,
      openDataLayer: async (overrides = {}, url = db.settings.url) => {
        const layer = await DataLayer.open(overrideDbSettings(db.settings, overrides, url));
        this.layers.push(layer);
        return layer;
      },
      startProxy: async () => {
        const target = new URL(db.settings.url);
        const proxy = await startFaultProxy({ targetHost: target.hostname, targetPort: Number(target.port || 5432) });
        this.proxies.push(proxy);
        return proxy;
      },
      scaled: (count, min = 1) => Math.max(min, Math.round(count * options.scale)),
      ...(this.env.reference ? { reference: this.env.reference } : {}),
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.layers.map((layer) => layer.close()));
    await Promise.allSettled(this.proxies.map((proxy) => proxy.close()));
  }
}

/** Runs one scenario; a throw becomes an `errored` result and never stops the run. */
export async function runScenario(definition: ScenarioDefinition, env: RunnerEnvironment): Promise<ScenarioResult> {
  const now = env.now ?? (() => performance.now());
  const started = now();
  const resources = new ScenarioResources(env);
  const base = { id: definition.id, category: definition.category, params: { ...definition.params } };
  try {
    // Start every scenario without the garbage of the ones before it, so a major collection of
    // someone else's objects does not land in this scenario's timings.
    await settleGc();
    const before = (await env.reference?.sample(REFERENCE_SAMPLES)) ?? [];
    const outcome = await definition.run(resources.context());
    const after = (await env.reference?.sample(REFERENCE_SAMPLES)) ?? [];
    const status = outcome.checks.every((c) => c.passed) ? 'passed' : 'failed';
    const reference = [...before, ...after];
    return {
      ...base,
      params: { ...base.params, ...outcome.params },
      status,
      checks: outcome.checks,
      // A scenario that interleaved its own reference calls keeps that closer reading.
      metrics:
        reference.length > 0 && !outcome.metrics.reference_ms
          ? { ...outcome.metrics, reference_ms: toMetric('reference_ms', percentileOf(reference, 50)) }
          : outcome.metrics,
      ...(outcome.samples ? { samples: outcome.samples } : {}),
      wallMs: now() - started,
    };
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
