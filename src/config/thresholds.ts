/**
 * Reads thresholds.json: checks it (names, schema, limits), fills in every default, freezes it. The
 * types and the rule lookup the verdict uses live in verdict/thresholds.ts.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { DEFAULT_DB_SETTINGS } from '../db/settings.js';
import { isMetricName, METRICS } from '../results/metrics.js';
import { COST_RULE } from '../verdict/cost-rule.js';
import { describeValue, toSchemaError } from '../results/schema-error.js';
import { CATEGORIES } from '../results/types.js';
import { readJsonFile } from '../results/untrusted-json.js';
import { ALL_SCENARIO_IDS } from '../suites/catalog.js';
import { DEFAULT_SCENARIO_TIMEOUT_SECONDS } from '../suites/scenario.js';
import type { ComparisonSettings, ConfigurationSettings, MetricRule, Thresholds } from '../verdict/thresholds.js';
import { THRESHOLDS_SCHEMA, thresholdsSchema } from './thresholds-schema.js';

type RuleMap = Readonly<Partial<Record<string, MetricRule>>>;

const DEFAULT_COMPARISON: ComparisonSettings = {
  minHistory: 3,
  minEvidenceZ: 2.5,
  minNoisePercent: 2,
  decideOn: 'calibrated',
  fingerprintMismatch: 'warn',
};

/** The data layer's own defaults (db/settings.ts) and the watchdog's (suites/scenario.ts). */
const DEFAULT_CONFIGURATION: ConfigurationSettings = {
  pool: { size: DEFAULT_DB_SETTINGS.pool.size, maxOverflow: DEFAULT_DB_SETTINGS.pool.maxOverflow, timeoutSeconds: DEFAULT_DB_SETTINGS.pool.timeoutSeconds },
  breaker: { ...DEFAULT_DB_SETTINGS.breaker },
  retry: { maxRetries: DEFAULT_DB_SETTINGS.retry.maxRetries, delaySeconds: DEFAULT_DB_SETTINGS.retry.delaySeconds, backoff: DEFAULT_DB_SETTINGS.retry.backoff },
  scenarioTimeoutSeconds: DEFAULT_SCENARIO_TIMEOUT_SECONDS,
};

const validateOwn = new Ajv({ strictNumbers: true }).compile(THRESHOLDS_SCHEMA);

/** The schema validator for a suite's scenario ids (perf-gate's own compiled once; a schema keeps one $id per Ajv). */
function validatorFor(ids: readonly string[]): ValidateFunction {
  return ids === ALL_SCENARIO_IDS ? validateOwn : new Ajv({ strictNumbers: true }).compile(thresholdsSchema(ids));
}

/** Throws when a `prefix*` key matches no scenario: a typo must not silently disable a check. */
function checkScenarioKeys(doc: unknown, source: string, ids: readonly string[]): void {
  const scenarios = (doc as { scenarios?: unknown } | null)?.scenarios;
  if (scenarios === null || typeof scenarios !== 'object') return;
  for (const key of Object.keys(scenarios)) {
    if (!key.endsWith('*')) continue;
    const prefix = key.slice(0, -1);
    if (!ids.some((id) => id.startsWith(prefix))) {
      throw new Error(`${source}: $.scenarios["${key}"] matches no scenario id; expected a prefix of a known id`);
    }
  }
}

/** Names an unknown scenario or metric with a hint, before ajv's generic "unknown key". */
function checkNames(doc: unknown, source: string, ids: readonly string[]): void {
  const root = doc as { scenarios?: unknown; metrics?: unknown } | null;
  const checkMetrics = (map: unknown, path: string): void => {
    if (map === null || typeof map !== 'object') return;
    for (const name of Object.keys(map)) {
      if (!isMetricName(name) && name !== COST_RULE) {
        throw new Error(`${source}: ${path}["${name}"] is not a known metric; expected one of ${Object.keys(METRICS).join(', ')} or ${COST_RULE}`);
      }
    }
  };
  checkMetrics(root?.metrics, '$.metrics');
  if (root?.scenarios === null || typeof root?.scenarios !== 'object') return;
  for (const [key, map] of Object.entries(root.scenarios)) {
    const known = key.endsWith('*') || (CATEGORIES as readonly string[]).includes(key) || ids.includes(key);
    if (!known) {
      throw new Error(
        `${source}: $.scenarios["${key}"] is not a known scenario id; expected a scenario id, a category (${CATEGORIES.join(', ')}) or a prefix ending in *`,
      );
    }
    checkMetrics(map, `$.scenarios["${key}"]`);
  }
  checkScenarioKeys(doc, source, ids);
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
export function parseThresholds(doc: unknown, source: string, ids: readonly string[] = ALL_SCENARIO_IDS): Thresholds {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new Error(`${source}: must be a JSON object, got ${describeValue(doc)}`);
  }
  checkNames(doc, source, ids);
  const validateSchema = validatorFor(ids);
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
export async function loadThresholds(path: string, ids?: readonly string[]): Promise<Thresholds> {
  return parseThresholds(await readJsonFile(path, 'thresholds'), path, ids);
}
