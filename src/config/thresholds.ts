import { Ajv } from 'ajv';
import { isMetricName, METRICS } from '../results/metrics.js';
import { describeValue, toSchemaError } from '../results/schema-error.js';
import { readJsonFile } from '../results/untrusted-json.js';
import { CATEGORIES, type Direction } from '../results/types.js';
import { ALL_SCENARIO_IDS } from '../suites/catalog.js';
import { METRIC_DEFAULTS, UNKNOWN_METRIC_DEFAULT, type Severity } from './metric-defaults.js';
import { DEFAULT_SCENARIO_TIMEOUT_SECONDS } from './runner-settings.js';
import { THRESHOLDS_SCHEMA } from './thresholds-schema.js';

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

/** The `configuration` section: the data layer's pool, breaker and retry settings for a gate run. */
export interface ConfigurationSettings {
  /** DATABASE_POOL_SIZE, DATABASE_MAX_OVERFLOW, DATABASE_POOL_TIMEOUT (seconds). */
  pool: { size: number; maxOverflow: number; timeoutSeconds: number };
  /** CIRCUIT_BREAKER_FAILURE_THRESHOLD and CIRCUIT_BREAKER_RECOVERY_TIMEOUT (seconds). */
  breaker: { failureThreshold: number; recoveryTimeoutSeconds: number };
  /** MAX_RETRIES, RETRY_DELAY (seconds), RETRY_BACKOFF. */
  retry: { maxRetries: number; delaySeconds: number; backoff: number };
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
  /** Defaults for every metric (severity, tolerances). */
  readonly defaults: Readonly<Pick<MetricRule, 'severity' | 'tolerancePercent' | 'duetTolerancePercent'>>;
  /** Metric name to rule, for every scenario. */
  readonly metrics: RuleMap;
  /** Scenario id, category or `prefix*` to metric rules. */
  readonly scenarios: Readonly<Record<string, RuleMap>>;
  readonly configuration: Readonly<ConfigurationSettings>;
}

const DEFAULT_COMPARISON: ComparisonSettings = {
  minHistory: 3,
  minEvidenceZ: 2.5,
  minNoisePercent: 2,
  decideOn: 'calibrated',
  fingerprintMismatch: 'warn',
};

const DEFAULT_CONFIGURATION: ConfigurationSettings = {
  pool: { size: 10, maxOverflow: 5, timeoutSeconds: 30 },
  breaker: { failureThreshold: 5, recoveryTimeoutSeconds: 30 },
  retry: { maxRetries: 3, delaySeconds: 0.1, backoff: 2 },
  scenarioTimeoutSeconds: DEFAULT_SCENARIO_TIMEOUT_SECONDS,
};

const validateSchema = new Ajv({ strictNumbers: true }).compile(THRESHOLDS_SCHEMA);

/** Throws when a `prefix*` key matches no scenario: a typo must not silently disable a check. */
function checkScenarioKeys(doc: unknown, source: string): void {
  const scenarios = (doc as { scenarios?: unknown } | null)?.scenarios;
  if (scenarios === null || typeof scenarios !== 'object') return;
  for (const key of Object.keys(scenarios)) {
    if (!key.endsWith('*')) continue;
    const prefix = key.slice(0, -1);
    if (!ALL_SCENARIO_IDS.some((id) => id.startsWith(prefix))) {
      throw new Error(`${source}: $.scenarios["${key}"] matches no scenario id; expected a prefix of a known id`);
    }
  }
}

/** Names an unknown scenario or metric with a hint, before ajv's generic "unknown key". */
function checkNames(doc: unknown, source: string): void {
  const root = doc as { scenarios?: unknown; metrics?: unknown } | null;
  const checkMetrics = (map: unknown, path: string): void => {
    if (map === null || typeof map !== 'object') return;
    for (const name of Object.keys(map)) {
      if (!isMetricName(name)) {
        throw new Error(`${source}: ${path}["${name}"] is not a known metric; expected one of ${Object.keys(METRICS).join(', ')}`);
      }
    }
  };
  checkMetrics(root?.metrics, '$.metrics');
  if (root?.scenarios === null || typeof root?.scenarios !== 'object') return;
  for (const [key, map] of Object.entries(root.scenarios)) {
    const known = key.endsWith('*') || (CATEGORIES as readonly string[]).includes(key) || ALL_SCENARIO_IDS.includes(key);
    if (!known) {
      throw new Error(
        `${source}: $.scenarios["${key}"] is not a known scenario id; expected a scenario id, a category (${CATEGORIES.join(', ')}) or a prefix ending in *`,
      );
    }
    checkMetrics(map, `$.scenarios["${key}"]`);
  }
  checkScenarioKeys(doc, source);
}

/** Throws when a rule's min is above its max. */
function checkLimits(scenarios: Record<string, RuleMap>, source: string): void {
  for (const [key, map] of Object.entries(scenarios)) {
    for (const [metric, rule] of Object.entries(map)) {
      if (rule?.min !== undefined && rule.max !== undefined && rule.min > rule.max) {
        throw new Error(
          `${source}: $.scenarios["${key}"].${metric} has min ${rule.min} above max ${rule.max}; expected min <= max`,
        );
      }
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

interface ThresholdsFile {
  history?: number;
  retention?: number;
  confirmRerun?: boolean;
  comparison?: Partial<ComparisonSettings>;
  defaults?: Thresholds['defaults'];
  metrics?: Record<string, MetricRule>;
  scenarios?: Record<string, Record<string, MetricRule>>;
  configuration?: { [K in Exclude<keyof ConfigurationSettings, 'scenarioTimeoutSeconds'>]?: Partial<ConfigurationSettings[K]> } & {
    scenarioTimeoutSeconds?: number;
  };
}

/**
 * Validates a parsed thresholds document and applies the defaults. Errors name `source`, the JSON
 * path, the bad value and what was expected.
 */
export function parseThresholds(doc: unknown, source: string): Thresholds {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new Error(`${source}: must be a JSON object, got ${describeValue(doc)}`);
  }
  checkNames(doc, source);
  if (!validateSchema(doc)) {
    const first = validateSchema.errors?.[0];
    throw first ? toSchemaError(source, first, doc) : new Error(`${source}: is not a valid thresholds file`);
  }
  const file = doc as ThresholdsFile;
  const scenarios = file.scenarios ?? {};
  checkLimits({ ...scenarios, '*metrics': file.metrics ?? {} }, source);
  const configuration = file.configuration ?? {};
  return deepFreeze({
    source,
    history: file.history ?? 10,
    retention: file.retention ?? 100,
    confirmRerun: file.confirmRerun ?? true,
    comparison: { ...DEFAULT_COMPARISON, ...file.comparison },
    defaults: { ...file.defaults },
    metrics: structuredClone(file.metrics ?? {}),
    scenarios: structuredClone(scenarios),
    configuration: {
      pool: { ...DEFAULT_CONFIGURATION.pool, ...configuration.pool },
      breaker: { ...DEFAULT_CONFIGURATION.breaker, ...configuration.breaker },
      retry: { ...DEFAULT_CONFIGURATION.retry, ...configuration.retry },
      scenarioTimeoutSeconds: configuration.scenarioTimeoutSeconds ?? DEFAULT_CONFIGURATION.scenarioTimeoutSeconds,
    },
  });
}

/** Reads, size-checks (DOCUMENT_LIMITS) and validates a thresholds file. */
export async function loadThresholds(path: string): Promise<Thresholds> {
  return parseThresholds(await readJsonFile(path, 'thresholds'), path);
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
    direction: merged.direction ?? (known ? METRICS[metric].direction : fallbackDirection),
    max: merged.max,
    min: merged.min,
  };
}
