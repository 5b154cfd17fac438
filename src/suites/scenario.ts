import type { NumberBounds } from '../common/number-bounds.js';
import type { DbSettings, DbSettingsOverrides } from '../db/settings.js';
import type { Category, Check, Metric, Samples } from '../results/types.js';
import type { FaultProxy } from './harness/fault-proxy.js';
import type { Random } from './harness/random.js';
import type { SeedData } from './seed.js';
import type { DataLayerUnderTest } from './subject.js';

/**
 * The watchdog's default budget per scenario, seconds. The slowest scenario takes well under a
 * minute at scale 1 (see the README); 300 s is also ten times the data layer's 30 s pool and
 * operation timeouts, so a scenario that legitimately waits out one of them is never cut short,
 * while a hung one costs minutes instead of the job's timeout (6 hours on GitHub's runners).
 */
export const DEFAULT_SCENARIO_TIMEOUT_SECONDS = 300;

/** What the watchdog's budget accepts (PERF_GATE_SCENARIO_TIMEOUT, `scenarioTimeoutSeconds`). */
export const SCENARIO_TIMEOUT_BOUNDS: NumberBounds = Object.freeze({ min: 0.1, max: 86_400, whole: false });

/** Knobs of a suite run; they never change the data layer's own defaults (DEFAULT_DB_SETTINGS). */
export interface SuiteOptions {
  /**
   * Multiplies the scenarios' sizes (operations, iterations, batches; see docs/scenarios.md). 1 is
   * the full run; the tests use less. Never scales what a success criterion names (thresholds, 0.1 s delays).
   */
  scale: number;
  /**
   * No scenario reads it any more (the retry scenarios take the recovery time from the perf file's
   * policy); kept because the worker protocol requires it and a duet's base arm may be older.
   */
  breakerRecoverySeconds: number;
  /** Failure rate injected by retry.transient_failures (docs/scenarios.md: 0.3). */
  transientFailureRate: number;
  /** Time budget of one benchmark in the bench category, seconds. */
  benchmarkMaxSeconds: number;
  /**
   * How a benchmark spends that budget: `benchmark` (default) with benchmark.js, whose cycles and
   * samples have minimums of their own; `block`: one timed block of back-to-back calls until the
   * budget is spent (a duet round, a short share of the work measured against the other arm's).
   */
  benchRunner?: 'benchmark' | 'block';
  /**
   * Whether a scenario makes the measurements it takes beside its own calls (pagination's scaling
   * comparison, a transaction's commit overhead): true by default. They cost the same whatever the
   * scale, so a duet makes them in a scenario's first round only.
   */
  sideMeasurements?: boolean;
  /** Timeout of the timed operations in retry.timeout, ms. */
  operationTimeoutMs: number;
  /**
   * The watchdog's budget for one scenario, seconds, multiplied by `scale` when that is above 1: a
   * scenario still running after it is ended as `errored` and its resources are released.
   */
  scenarioTimeoutSeconds: number;
}

export const DEFAULT_SUITE_OPTIONS: Readonly<SuiteOptions> = Object.freeze({
  scale: 1,
  breakerRecoverySeconds: 0.5,
  transientFailureRate: 0.3,
  benchmarkMaxSeconds: 0.4,
  operationTimeoutMs: 200,
  scenarioTimeoutSeconds: DEFAULT_SCENARIO_TIMEOUT_SECONDS,
});

/** The watchdog's budget for one scenario, ms: the setting, longer for runs scaled above 1. */
export function scenarioBudgetMs(options: Pick<SuiteOptions, 'scale' | 'scenarioTimeoutSeconds'>): number {
  return options.scenarioTimeoutSeconds * 1000 * Math.max(1, options.scale);
}

/**
 * Everything a scenario may use. Extra data layers and proxies it opens are closed by the runner,
 * also when the watchdog ends a hung scenario.
 */
export interface ScenarioContext {
  /** The gate's data layer on the seeded database, with the configured pool settings. */
  db: DataLayerUnderTest;
  settings: DbSettings;
  seed: SeedData;
  /**
   * What the subject's seed made for the operations of a perf file (`data`: perf-gate's own
   * subject gives its SeedData) and what its setup built (`app`).
   */
  data: unknown;
  app: unknown;
  /** Seeded: every random choice goes through it, so a run can be reproduced. */
  random: Random;
  options: SuiteOptions;
  /** Another data layer on the same database, with settings overridden (e.g. a tiny pool). */
  openDataLayer(overrides?: DbSettingsOverrides, url?: string): Promise<DataLayerUnderTest>;
  /** A fault proxy in front of the database server; `proxy.url(ctx.settings.url)` connects through it. */
  startProxy(): Promise<FaultProxy>;
  /** Scales a count by `options.scale`, never below `min`. */
  scaled(count: number, min?: number): number;
  /**
   * Says what the scenario is doing now ('warming the pool', 'reading through a black-holed
   * proxy'); a scenario ended by the watchdog is reported with the last step it set. Throws once
   * the watchdog gave up on the scenario, so abandoned work stops at its next step.
   */
  step(description: string): void;
  /** Aborted when the watchdog gives up on the scenario; pass it to loops and loads to stop them. */
  signal: AbortSignal;
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
  /**
   * What else defines the scenario when `run` is shared by many (a perf file's template: the text
   * of the user's operation), so a duet can tell that a pull request changed it.
   */
  source?: string;
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
