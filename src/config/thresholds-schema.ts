import type { SchemaObject } from 'ajv';
import { METRICS } from '../results/metrics.js';
import { CATEGORIES } from '../results/types.js';
import { ALL_SCENARIO_IDS } from '../suites/catalog.js';

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
const ruleMap: SchemaObject = {
  type: 'object',
  description: 'Metric name to rule.',
  additionalProperties: false,
  properties: Object.fromEntries(metricNames.map((name) => [name, { $ref: '#/definitions/rule' }])),
};

const scenarioKeys = [...CATEGORIES, ...ALL_SCENARIO_IDS];

/** The schema thresholds.json is validated against (ajv, no allErrors, no $data). */
export const THRESHOLDS_SCHEMA: SchemaObject = {
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
      description: 'The configuration section of the specification.',
      properties: {
        pool: {
          type: 'object',
          additionalProperties: false,
          properties: {
            size: positiveInt('DATABASE_POOL_SIZE: persistent connections (default 10).', 1000),
            maxOverflow: { type: 'integer', minimum: 0, description: 'DATABASE_MAX_OVERFLOW (default 5).' },
            timeoutSeconds: limit('DATABASE_POOL_TIMEOUT: seconds to wait for a connection (default 30).'),
          },
        },
        breaker: {
          type: 'object',
          additionalProperties: false,
          properties: {
            failureThreshold: positiveInt('CIRCUIT_BREAKER_FAILURE_THRESHOLD (default 5).', 1000),
            recoveryTimeoutSeconds: limit('CIRCUIT_BREAKER_RECOVERY_TIMEOUT in seconds (default 30).'),
          },
        },
        retry: {
          type: 'object',
          additionalProperties: false,
          properties: {
            maxRetries: { type: 'integer', minimum: 0, maximum: 100, description: 'MAX_RETRIES (default 3).' },
            delaySeconds: limit('RETRY_DELAY: base delay in seconds (default 0.1).'),
            backoff: { type: 'number', minimum: 1, description: 'RETRY_BACKOFF multiplier (default 2).' },
          },
        },
        scenarioTimeoutSeconds: {
          type: 'number',
          minimum: 0.1,
          maximum: 86400,
          description:
            'PERF_GATE_SCENARIO_TIMEOUT: the watchdog budget per scenario in seconds, times the scale above 1; a scenario still running then is ended as errored (default 300).',
        },
      },
    },
  },
};
