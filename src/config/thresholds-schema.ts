import type { SchemaObject } from 'ajv';
import type { NumberBounds } from '../common/number-bounds.js';
import { DB_SETTING_BOUNDS as db, DEFAULT_DB_SETTINGS as d } from '../db/settings.js';
import { METRICS } from '../results/metrics.js';
import { COST_RULE } from '../verdict/cost-rule.js';
import { CATEGORIES } from '../results/types.js';
import { ALL_SCENARIO_IDS } from '../suites/catalog.js';
import { DEFAULT_SCENARIO_TIMEOUT_SECONDS, SCENARIO_TIMEOUT_BOUNDS } from '../suites/scenario.js';

/**
 * JSON Schema of thresholds.json. The file thresholds.schema.json at the top of the repository is
 * this object, written out (a unit test keeps the two equal), so editors complete and check it.
 */

const limit = (description: string): SchemaObject => ({ type: 'number', minimum: 0, description });
const positiveInt = (description: string, max: number): SchemaObject => ({
  type: 'integer',
  minimum: 1,
  maximum: max,
  description,
});

/** A setting's range (DB_SETTING_BOUNDS, the watchdog's), as the environment reader checks it too. */
const bounded = (bounds: NumberBounds, description: string): SchemaObject => ({
  type: bounds.whole ? 'integer' : 'number',
  minimum: bounds.min,
  maximum: bounds.max,
  description,
});

const rule: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    max: limit('Absolute limit: the value must stay below this (in the metric unit).'),
    min: limit('Absolute limit: the value must stay above this (in the metric unit).'),
    compare: { type: 'boolean', description: 'Compare with the baseline history (relative regression check).' },
    tolerancePercent: limit('A worse change up to this percentage of the baseline is not a regression.'),
    absoluteFloor: limit('A worse change up to this amount (metric unit) is not a regression.'),
    duetTolerancePercent: limit('In a duet run (head against base in one run): a worse change up to this percentage of the base is not a regression.'),
    duetAbsoluteFloor: limit('In a duet run: a worse change up to this amount (metric unit) is not a regression.'),
    severity: { enum: ['fail', 'warn'], description: 'Whether a verdict fails the gate or only warns.' },
    direction: { enum: ['lower', 'higher'], description: 'Which way is better, where the metric default is not wanted.' },
  },
};

const metricNames = Object.keys(METRICS);

/** Cost findings (statements, rows, plans counted by the cost pass) have a severity only: they are exact. */
const costRule: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  description: 'Cost findings of the scenario (more statements or rows, a new sequential scan, an index no longer used, statements growing with the size): fail (default) or warn.',
  properties: { severity: rule.properties.severity },
};

const ruleMap: SchemaObject = {
  type: 'object',
  description: 'Metric name to rule; `cost` for the cost findings.',
  additionalProperties: false,
  properties: { ...Object.fromEntries(metricNames.map((name) => [name, { $ref: '#/definitions/rule' }])), [COST_RULE]: costRule },
};

/**
 * The schema a thresholds.json is validated against (ajv, no allErrors, no $data), for a suite
 * whose scenarios have the ids `scenarioIds` (perf-gate's own, or a perf file's).
 */
export function thresholdsSchema(scenarioIds: readonly string[]): SchemaObject {
  const scenarioKeys = [...CATEGORIES, ...scenarioIds];
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://perf-gate.local/schemas/thresholds.json',
    title: 'perf-gate thresholds',
    type: 'object',
    additionalProperties: false,
    definitions: { rule, ruleMap },
    properties: {
      $schema: { type: 'string' },
      history: positiveInt('How many baseline runs of the base branch the verdict reads (default 10).', 100),
      retention: positiveInt('How many runs per branch the baseline store keeps (default 100).', 10000),
      confirmRerun: { type: 'boolean', description: 'Re-run flagged scenarios (relative regressions, failed timing checks) once before failing (default true).' },
      comparison: {
        type: 'object',
        additionalProperties: false,
        properties: {
          minHistory: positiveInt('Fewer baseline runs than this: judge by tolerance alone (default 3).', 100),
          minEvidenceZ: limit('Evidence needed beyond the between-run noise, in noise units (default 2.5).'),
          minNoisePercent: limit('Lower bound of the noise estimate, percent of the baseline (default 2).'),
          decideOn: {
            enum: ['both', 'calibrated', 'raw'],
            description: 'Which view of a latency or throughput change decides: raw, calibrated (by the machine-speed factor), or both (default calibrated).',
          },
          fingerprintMismatch: {
            enum: ['warn', 'fail'],
            description: 'Relative failures when the environment differs from the baseline (default warn).',
          },
        },
      },
      defaults: {
        type: 'object',
        additionalProperties: false,
        description: 'Defaults for every metric.',
        properties: {
          severity: rule.properties.severity,
          tolerancePercent: rule.properties.tolerancePercent,
          duetTolerancePercent: rule.properties.duetTolerancePercent,
        },
      },
      metrics: { $ref: '#/definitions/ruleMap' },
      scenarios: {
        type: 'object',
        description: 'Scenario id, category, or prefix ending in * (e.g. bench.pagination:*) to metric rules.',
        additionalProperties: false,
        properties: Object.fromEntries(scenarioKeys.map((key) => [key, { $ref: '#/definitions/ruleMap' }])),
        patternProperties: { '^[a-z_][a-z0-9_.:]*\\*$': { $ref: '#/definitions/ruleMap' } },
      },
      configuration: {
        type: 'object',
        additionalProperties: false,
        description: "The data layer's pool, breaker and retry settings and the watchdog's budget for a gate run; a variable set in the environment wins.",
        properties: {
          pool: {
            type: 'object',
            additionalProperties: false,
            properties: {
              size: bounded(db.pool.size, `DATABASE_POOL_SIZE: persistent connections (default ${d.pool.size}).`),
              maxOverflow: bounded(db.pool.maxOverflow, `DATABASE_MAX_OVERFLOW (default ${d.pool.maxOverflow}).`),
              timeoutSeconds: bounded(db.pool.timeoutSeconds, `DATABASE_POOL_TIMEOUT: seconds to wait for a connection (default ${d.pool.timeoutSeconds}).`),
            },
          },
          breaker: {
            type: 'object',
            additionalProperties: false,
            properties: {
              failureThreshold: bounded(db.breaker.failureThreshold, `CIRCUIT_BREAKER_FAILURE_THRESHOLD (default ${d.breaker.failureThreshold}).`),
              recoveryTimeoutSeconds: bounded(
                db.breaker.recoveryTimeoutSeconds,
                `CIRCUIT_BREAKER_RECOVERY_TIMEOUT in seconds (default ${d.breaker.recoveryTimeoutSeconds}).`,
              ),
            },
          },
          retry: {
            type: 'object',
            additionalProperties: false,
            properties: {
              maxRetries: bounded(db.retry.maxRetries, `MAX_RETRIES (default ${d.retry.maxRetries}).`),
              delaySeconds: bounded(db.retry.delaySeconds, `RETRY_DELAY: base delay in seconds (default ${d.retry.delaySeconds}).`),
              backoff: bounded(db.retry.backoff, `RETRY_BACKOFF multiplier (default ${d.retry.backoff}).`),
            },
          },
          scenarioTimeoutSeconds: bounded(
            SCENARIO_TIMEOUT_BOUNDS,
            `PERF_GATE_SCENARIO_TIMEOUT: the watchdog budget per scenario in seconds, times the scale above 1; a scenario still running then is ended as errored (default ${DEFAULT_SCENARIO_TIMEOUT_SECONDS}).`,
          ),
        },
      },
    },
  };
}

/** The schema of perf-gate's own thresholds.json (its 51 scenarios). */
export const THRESHOLDS_SCHEMA: SchemaObject = thresholdsSchema(ALL_SCENARIO_IDS);
