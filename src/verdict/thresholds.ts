/**
 * The thresholds as the verdict uses them: the rule for one scenario metric, how the comparison
 * weighs evidence, and the whole thresholds.json once read (config/thresholds.ts reads, validates
 * and fills in its defaults). Pure: no file, no schema, no environment.
 */
import type { BreakerSettings, PoolSettings, RetrySettings } from '../db/settings.js';
import { isMetricName, METRICS } from '../results/metrics.js';
import type { Direction } from '../results/types.js';
import { METRIC_DEFAULTS, UNKNOWN_METRIC_DEFAULT, type Severity } from './metric-defaults.js';

export type { Severity } from './metric-defaults.js';

/** One rule for a metric, as written in thresholds.json; every field is optional. */
export interface MetricRule {
  /** Absolute limit: the value must stay below this. */
  max?: number;
  /** Absolute limit: the value must stay above this. */
  min?: number;
  /** Compare with the baseline history. */
  compare?: boolean;
  /** A worse change up to this percentage of the baseline is not a regression. */
  tolerancePercent?: number;
  /** A worse change up to this amount, in the metric's unit, is not a regression. */
  absoluteFloor?: number;
  /** In a duet run (head against base): a worse change up to this percentage of the base is not a regression. */
  duetTolerancePercent?: number;
  /** In a duet run: a worse change up to this amount, in the metric's unit, is not a regression. */
  duetAbsoluteFloor?: number;
  /** Whether a verdict fails the gate or only warns. */
  severity?: Severity;
  /** Which way is better, where the catalog's direction is not wanted. */
  direction?: Direction;
}

/** A rule with every default applied, as the verdict uses it. */
export interface ResolvedRule {
  compare: boolean;
  tolerancePercent: number;
  absoluteFloor: number;
  /** The margins of a duet run; `tolerancePercent` and `absoluteFloor` are the history's. */
  duetTolerancePercent: number;
  duetAbsoluteFloor: number;
  /** What a breached absolute limit does: thresholds.json's `severity`, else fail. */
  severity: Severity;
  /** What a relative regression does: thresholds.json's `severity`, else the metric's default. */
  regressionSeverity: Severity;
  /** The same in a duet: thresholds.json's `severity`, else the metric's duet default. */
  duetRegressionSeverity: Severity;
  direction: Direction;
  max: number | undefined;
  min: number | undefined;
}

/** How the comparison weighs evidence. */
export interface ComparisonSettings {
  /** Fewer baseline runs than this: judge by tolerance alone, and say so. */
  minHistory: number;
  /** A relative regression needs a change of at least this many noise units. */
  minEvidenceZ: number;
  /** Lower bound of the noise estimate, as a percentage of the baseline. */
  minNoisePercent: number;
  /**
   * Which view of a latency or throughput change decides: `calibrated` (default) divides out the
   * machine-speed factor; `both` also needs the raw change beyond tolerance; `raw` ignores calibration.
   */
  decideOn: 'both' | 'calibrated' | 'raw';
  /** What relative failures become when the environment differs from the baseline. */
  fingerprintMismatch: Severity;
}

/**
 * The `configuration` section: the data layer's pool, breaker and retry settings and the watchdog's
 * budget for a gate run, with the defaults filled in. A variable set in the environment wins over
 * it (config/settings.ts merges the two).
 */
export interface ConfigurationSettings {
  /** DATABASE_POOL_SIZE, DATABASE_MAX_OVERFLOW, DATABASE_POOL_TIMEOUT (seconds). */
  pool: Pick<PoolSettings, 'size' | 'maxOverflow' | 'timeoutSeconds'>;
  /** CIRCUIT_BREAKER_FAILURE_THRESHOLD and CIRCUIT_BREAKER_RECOVERY_TIMEOUT (seconds). */
  breaker: BreakerSettings;
  /** MAX_RETRIES, RETRY_DELAY (seconds), RETRY_BACKOFF. */
  retry: Pick<RetrySettings, 'maxRetries' | 'delaySeconds' | 'backoff'>;
  /**
   * PERF_GATE_SCENARIO_TIMEOUT: the watchdog's budget per scenario, seconds (times the scale above
   * 1); a scenario still running then is ended as errored and its resources released.
   */
  scenarioTimeoutSeconds: number;
}

type RuleMap = Readonly<Partial<Record<string, MetricRule>>>;

/** thresholds.json, validated, with defaults applied, frozen. */
export interface Thresholds {
  /** The file (or description) it was read from. */
  readonly source: string;
  /** Baseline runs the verdict reads. */
  readonly history: number;
  /** Runs per branch the baseline store keeps. */
  readonly retention: number;
  /** Re-run flagged scenarios once before failing. */
  readonly confirmRerun: boolean;
  readonly comparison: Readonly<ComparisonSettings>;
  /** Defaults for every metric (severity, tolerance). */
  readonly defaults: Readonly<Pick<MetricRule, 'severity' | 'tolerancePercent' | 'duetTolerancePercent'>>;
  /** Metric name to rule, for every scenario. */
  readonly metrics: RuleMap;
  /** Scenario id, category or `prefix*` to metric rules. */
  readonly scenarios: Readonly<Record<string, RuleMap>>;
  readonly configuration: Readonly<ConfigurationSettings>;
}

/** Scenario keys that apply to `scenarioId`, least specific first: category, prefixes by length, the id. */
function matchingScenarioKeys(thresholds: Thresholds, scenarioId: string): string[] {
  const category = scenarioId.split('.')[0] ?? '';
  const prefixes = Object.keys(thresholds.scenarios)
    .filter((key) => key.endsWith('*') && scenarioId.startsWith(key.slice(0, -1)))
    .sort((a, b) => a.length - b.length);
  return [category, ...prefixes, scenarioId].filter((key) => Object.hasOwn(thresholds.scenarios, key));
}

/**
 * The rule for one scenario metric: built-in metric default, then `defaults`, `metrics[metric]`, and the
 * scenario keys from least to most specific (category, `prefix*`, exact id). `fallbackDirection` is used
 * for a metric the catalog does not know.
 */
export function resolveRule(
  thresholds: Thresholds,
  scenarioId: string,
  metric: string,
  fallbackDirection: Direction = 'lower',
): ResolvedRule {
  const known = isMetricName(metric);
  const base = known ? METRIC_DEFAULTS[metric] : UNKNOWN_METRIC_DEFAULT;
  const layers: MetricRule[] = [
    thresholds.defaults,
    thresholds.metrics[metric] ?? {},
    ...matchingScenarioKeys(thresholds, scenarioId).map((key) => thresholds.scenarios[key]?.[metric] ?? {}),
  ];
  const merged: MetricRule = Object.assign({}, ...layers) as MetricRule;
  return {
    compare: merged.compare ?? base.compare,
    tolerancePercent: merged.tolerancePercent ?? base.tolerancePercent,
    absoluteFloor: merged.absoluteFloor ?? base.absoluteFloor,
    duetTolerancePercent: merged.duetTolerancePercent ?? base.duetTolerancePercent,
    duetAbsoluteFloor: merged.duetAbsoluteFloor ?? base.duetAbsoluteFloor,
    severity: merged.severity ?? 'fail',
    regressionSeverity: merged.severity ?? base.regressionSeverity,
    duetRegressionSeverity: merged.severity ?? base.duetRegressionSeverity ?? base.regressionSeverity,
    direction: merged.direction ?? (known ? METRICS[metric].direction : fallbackDirection),
    max: merged.max,
    min: merged.min,
  };
}
