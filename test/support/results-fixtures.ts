/**
 * Valid ResultsDocuments for tests, with a seeded PRNG for noisy histories. A noisy run models a shared
 * runner: one machine-speed factor per run scales every latency AND the raw `pg` calibration (as a
 * slower runner would), plus independent per-metric jitter.
 */
import { METRICS, isMetricName } from '../../src/results/metrics.js';
import {
  RESULTS_SCHEMA_VERSION,
  type Calibration,
  type Category,
  type EnvironmentFingerprint,
  type LatencySummary,
  type Metric,
  type ResultsDocument,
  type ScenarioResult,
} from '../../src/results/types.js';

/** A seeded PRNG (mulberry32): same seed, same numbers. Returns values in [0, 1). */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller) from `rng`. */
export function drawNormal(rng: () => number): number {
  const u = Math.max(rng(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Metric name to value; units and directions come from the catalog. */
export type MetricValues = Record<string, number>;

/** A metric with the catalog's unit and direction. */
export function makeMetric(name: string, value: number): Metric {
  const definition = isMetricName(name) ? METRICS[name] : { unit: 'count' as const, direction: 'lower' as const };
  return { value, unit: definition.unit, direction: definition.direction };
}

/** A passed scenario with the given metrics. */
export function makeScenario(id: string, values: MetricValues, extra: Partial<ScenarioResult> = {}): ScenarioResult {
  const category = (id.split('.')[0] ?? 'bench') as Category;
  const metrics = Object.fromEntries(Object.entries(values).map(([name, v]) => [name, makeMetric(name, v)]));
  return { id, category, params: {}, checks: [], metrics, wallMs: 100, status: 'passed', ...extra } as ScenarioResult;
}

/** The environment of a typical CI runner. */
export function makeEnvironment(overrides: { pgMajor?: number; cpuCount?: number; nodeMajor?: number } = {}): EnvironmentFingerprint {
  const pgMajor = overrides.pgMajor ?? 17;
  const nodeMajor = overrides.nodeMajor ?? 20;
  return {
    postgres: { version: `${pgMajor}.2`, major: pgMajor, settings: { shared_buffers: '128MB' } },
    node: { version: `v${nodeMajor}.20.2`, major: nodeMajor },
    cpu: { model: 'Test CPU', count: overrides.cpuCount ?? 2 },
    os: { platform: 'linux', release: '6.1.0', arch: 'x64' },
    pool: { size: 10, maxOverflow: 5, timeoutSeconds: 30 },
  };
}

function makeSummary(avg: number): LatencySummary {
  return { avg, p50: avg * 0.95, p95: avg * 1.6, n: 500 };
}

/** Calibration of a machine `speed` times slower than the reference one. */
export function makeCalibration(speed = 1): Calibration {
  return {
    rawSelectOne: makeSummary(0.08 * speed),
    rawGetById: makeSummary(0.12 * speed),
    repoGetById: makeSummary(0.3 * speed),
    rawInsert: makeSummary(0.4 * speed),
    repoInsert: makeSummary(0.9 * speed),
  };
}

export interface ResultsOptions {
  scenarios?: ScenarioResult[];
  sha?: string;
  startedAt?: string;
  environment?: EnvironmentFingerprint;
  calibration?: Calibration;
  totalMs?: number;
}

/** A valid results document. */
export function makeResults(options: ResultsOptions = {}): ResultsDocument {
  const startedAt = options.startedAt ?? '2026-01-01T00:00:00.000Z';
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    run: { startedAt, finishedAt: startedAt, gitSha: options.sha ?? 'a'.repeat(40), gitRef: 'refs/heads/main', toolVersion: '0.1.0', seed: 1 },
    environment: options.environment ?? makeEnvironment(),
    calibration: options.calibration ?? makeCalibration(),
    timings: { setupMs: 1000, categories: { bench: { wallMs: 5000 } }, totalMs: options.totalMs ?? 6000 },
    scenarios: options.scenarios ?? [],
  };
}

/** Scenario id to metric means of the simulated code. */
export type ScenarioMeans = Record<string, MetricValues>;

/** Typical means of the benchmark scenarios on a 2-core runner. */
export const TYPICAL_MEANS: ScenarioMeans = {
  'bench.crud.get_by_id': { avg_ms: 0.3, p50_ms: 0.28, p95_ms: 0.55, ops_per_sec: 3300, total: 1000 },
  'bench.crud.create': { avg_ms: 0.9, p50_ms: 0.85, p95_ms: 1.6, total: 500 },
  'bench.crud.update': { avg_ms: 0.8, p95_ms: 1.4 },
  'bench.query.get_by_username': { avg_ms: 0.35, p95_ms: 0.7 },
  'pooling.normal_load': { avg_ms: 4, p95_ms: 9, error_rate: 0 },
};

export interface NoiseOptions {
  /** Between-run machine-speed spread (log-normal sigma), shared by latencies and calibration. */
  machineSigma?: number;
  /** Independent per-metric jitter per run (relative sigma). */
  metricSigma?: number;
  /** Per-scenario multipliers of the latency means, e.g. `{ 'bench.crud.get_by_id': 1.3 }`. */
  slowdown?: Record<string, number>;
}

function jitterValue(name: string, mean: number, speed: number, noise: number, slowdown: number): number {
  if (!isMetricName(name)) return mean;
  const unit = METRICS[name].unit;
  if (unit === 'count' || unit === 'ratio') return mean;
  // Slower code leaves the scenario's raw `pg` reference alone: only the machine's speed moves it.
  const slow = name === 'reference_ms' ? 1 : slowdown;
  const scaled = unit === 'ops/s' ? (mean * noise) / (speed * slow) : mean * speed * slow * noise;
  return Number(scaled.toFixed(4));
}

/** One noisy run of code with `means`. */
export function makeNoisyRun(rng: () => number, means: ScenarioMeans, index: number, options: NoiseOptions = {}): ResultsDocument {
  const speed = Math.exp(drawNormal(rng) * (options.machineSigma ?? 0.06));
  const metricSigma = options.metricSigma ?? 0.03;
  const scenarios = Object.entries(means).map(([id, values]) => {
    const slow = options.slowdown?.[id] ?? 1;
    const noisy = Object.fromEntries(
      Object.entries(values).map(([name, mean]) => [name, jitterValue(name, mean, speed, 1 + drawNormal(rng) * metricSigma, slow)]),
    );
    return makeScenario(id, noisy);
  });
  const calibrationNoise = 1 + drawNormal(rng) * metricSigma;
  const startedAt = new Date(Date.UTC(2026, 0, 1, 0, index)).toISOString();
  const sha = `${index.toString(16).padStart(7, '0')}${'a'.repeat(33)}`;
  return makeResults({ scenarios, sha, startedAt, calibration: makeCalibration(speed * calibrationNoise) });
}

/** `count` noisy runs, newest first (as a BaselineStore returns them). */
export function makeNoisyHistory(seed: number, count: number, means = TYPICAL_MEANS, options: NoiseOptions = {}): ResultsDocument[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, i) => makeNoisyRun(rng, means, i, options)).reverse();
}
