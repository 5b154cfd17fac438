/**
 * The results document: what one run of the gate measured. It is the contract between the suites
 * (which write it), the verdict (which compares documents) and the baseline stores (which keep them).
 * Its JSON Schema lives in results-schema.ts and is checked on every write and read.
 */

import type { CostSection } from './cost-section.js';

/** Bumped whenever a stored document would no longer read as the same thing. */
export const RESULTS_SCHEMA_VERSION = 1;

export const CATEGORIES = ['pooling', 'retry', 'sessions', 'bench'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Whether a smaller or a larger value of a metric is the better one. */
export type Direction = 'lower' | 'higher';

export type Unit = 'ms' | 's' | 'ops/s' | 'count' | 'ratio' | 'percent' | 'MB';

/** One measured number with what it means. */
export interface Metric {
  value: number;
  unit: Unit;
  direction: Direction;
}

/** One success criterion of a scenario (docs/scenarios.md), as measured in this run. */
export interface Check {
  /** Short stable name, e.g. `error_rate_below_1_percent`. */
  name: string;
  passed: boolean;
  /** The measured value the check looked at. */
  measured: number | string | boolean;
  /** What was expected, in words a reader understands, e.g. `< 0.01`. */
  expected: string;
  /**
   * Set when the check compares durations measured in this run (a latency ratio, a deadline): a
   * busy machine can fail it, so the gate re-runs the scenario once before such a failure counts.
   */
  timing?: true;
}

/** Raw per-operation latencies, a uniform reservoir when the scenario ran more operations. */
export interface Samples {
  unit: 'ms';
  /** How many operations were observed in all (values holds at most the reservoir's capacity). */
  observed: number;
  values: number[];
}

export interface ErrorInfo {
  name: string;
  message: string;
  /** Where in the user's code (a perf file's operation): `file:line:column`, relative to the project. */
  at?: string;
}

interface ScenarioBase {
  /** Stable id, e.g. `bench.pagination:25`. */
  id: string;
  category: Category;
  params: Record<string, number | string | boolean>;
  checks: Check[];
  /** Metric name (see metrics.ts) to value. */
  metrics: Record<string, Metric>;
  samples?: Samples;
  /** Wall time the scenario took, setup included. */
  wallMs: number;
}

export type ScenarioResult =
  | (ScenarioBase & { status: 'passed' })
  | (ScenarioBase & { status: 'failed' })
  | (ScenarioBase & { status: 'errored'; error: ErrorInfo });

export type ScenarioStatus = ScenarioResult['status'];

export interface RunInfo {
  startedAt: string;
  finishedAt: string;
  gitSha?: string;
  gitRef?: string;
  toolVersion: string;
  /** Seed of every random choice in the run, so it can be reproduced. */
  seed: number;
}

export interface EnvironmentFingerprint {
  postgres: { version: string; major: number; settings: Record<string, string> };
  node: { version: string; major: number };
  cpu: { model: string; count: number };
  os: { platform: string; release: string; arch: string };
  pool: { size: number; maxOverflow: number; timeoutSeconds: number };
}

/** Latency summary of a reference operation, in ms. */
export interface LatencySummary {
  avg: number;
  p50: number;
  p95: number;
  /** Number of timed operations. */
  n: number;
}

/**
 * Raw `pg` timings taken in the same run as the scenarios, so the machine's speed and the
 * repository's overhead are visible and the verdict can tell a slow runner from slow code.
 */
export interface Calibration {
  rawSelectOne: LatencySummary;
  rawGetById: LatencySummary;
  repoGetById: LatencySummary;
  rawInsert: LatencySummary;
  repoInsert: LatencySummary;
}

export interface CategoryTiming {
  wallMs: number;
}

export interface ResultsDocument {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  run: RunInfo;
  environment: EnvironmentFingerprint;
  calibration: Calibration;
  /** Wall time per category that ran (seeding and migration are under `setup`). */
  timings: { setupMs: number; categories: Partial<Record<Category, CategoryTiming>>; totalMs: number };
  scenarios: ScenarioResult[];
  /** The cost pass (statements, rows and plans per operation); absent in documents from before it, or when no operation ran. */
  cost?: CostSection;
}
