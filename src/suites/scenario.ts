import type { DbSettings, DbSettingsOverrides } from '../config/db-settings.js';
import type { DataLayer } from '../db/data-layer.js';
import type { Category, Check, Metric, Samples } from '../results/types.js';
import type { FaultProxy } from './harness/fault-proxy.js';
import type { Random } from './harness/random.js';
import type { SeedData } from './seed.js';

/** Knobs of a suite run; they never change the data layer's own defaults (DEFAULT_DB_SETTINGS). */
export interface SuiteOptions {
  /**
   * Multiplies the scenarios' sizes (operations, iterations, batches; see docs/scenarios.md). 1 is
   * the full run; the tests use less. Never scales what a success criterion names (thresholds, 0.1 s delays).
   */
  scale: number;
  /** Circuit breaker recovery timeout of the gate's own retry scenarios, seconds (data layer default: 30). */
  breakerRecoverySeconds: number;
  /** Failure rate injected by retry.transient_failures (docs/scenarios.md: 0.3). */
  transientFailureRate: number;
  /** Time budget of one benchmark in the bench category, seconds. */
  benchmarkMaxSeconds: number;
  /** Timeout of the timed operations in retry.timeout, ms. */
  operationTimeoutMs: number;
}

export const DEFAULT_SUITE_OPTIONS: Readonly<SuiteOptions> = Object.freeze({
  scale: 1,
  breakerRecoverySeconds: 0.5,
  transientFailureRate: 0.3,
  benchmarkMaxSeconds: 0.4,
  operationTimeoutMs: 200,
});

/** Everything a scenario may use. Extra data layers and proxies it opens are closed by the runner. */
export interface ScenarioContext {
  /** The gate's data layer on the seeded database, with the configured pool settings. */
  db: DataLayer;
  settings: DbSettings;
  seed: SeedData;
  /** Seeded: every random choice goes through it, so a run can be reproduced. */
  random: Random;
  options: SuiteOptions;
  /** Another data layer on the same database, with settings overridden (e.g. a tiny pool). */
  openDataLayer(overrides?: DbSettingsOverrides, url?: string): Promise<DataLayer>;
  /** A fault proxy in front of the database server; `proxy.url(ctx.settings.url)` connects through it. */
  startProxy(): Promise<FaultProxy>;
  /** Scales a count by `options.scale`, never below `min`. */
  scaled(count: number, min?: number): number;
  /** Times raw `pg` get-by-id calls (the machine-speed reference), when the run has a probe. */
  reference?: ReferenceSampler;
}

/** Raw `pg` reference timings, ms each. */
export interface ReferenceSampler {
  sample(count: number): Promise<number[]>;
}

/** What a scenario reports; the runner adds id, category, status and wall time. */
export interface ScenarioOutcome {
  checks: Check[];
  metrics: Record<string, Metric>;
  samples?: Samples;
  /** Parameters actually used (e.g. scaled sizes), merged over the definition's. */
  params?: Record<string, number | string | boolean>;
}

export interface ScenarioDefinition {
  id: string;
  category: Category;
  params: Record<string, number | string | boolean>;
  run(context: ScenarioContext): Promise<ScenarioOutcome>;
}

/** One success criterion as measured. */
export function check(name: string, passed: boolean, measured: number | string | boolean, expected: string): Check {
  return { name, passed, measured: typeof measured === 'number' ? round(measured) : measured, expected };
}

/**
 * A success criterion that compares durations measured in this run (a latency ratio, a deadline):
 * marked `timing`, so the gate re-runs its scenario once before a failure counts.
 */
export function timingCheck(name: string, passed: boolean, measured: number | string | boolean, expected: string): Check {
  return { ...check(name, passed, measured, expected), timing: true };
}

function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 1e6) / 1e6 : value;
}
