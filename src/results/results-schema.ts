import type { SchemaObject } from 'ajv';
import { COST_SECTION_SCHEMA } from './cost-section-schema.js';
import { CATEGORIES, RESULTS_SCHEMA_VERSION } from './types.js';

/**
 * JSON Schema (draft-07) of the ResultsDocument in types.ts. Kept in step with the types by hand:
 * every interface is one definition here, and objects reject keys the types do not declare, except
 * the open maps (`params`, `metrics`, `settings`, `categories`).
 */

const UNITS = ['ms', 's', 'ops/s', 'count', 'ratio', 'percent', 'MB'];
const nonNegative = { type: 'number', minimum: 0 };
const nonEmptyString = { type: 'string', minLength: 1 };
const closed = (required: string[], properties: Record<string, unknown>): SchemaObject => ({
  type: 'object',
  required,
  properties,
  additionalProperties: false,
});

const latencySummary = closed(['avg', 'p50', 'p95', 'n'], {
  avg: nonNegative,
  p50: nonNegative,
  p95: nonNegative,
  n: { type: 'integer', minimum: 0 },
});

const metric = closed(['value', 'unit', 'direction'], {
  value: { type: 'number' },
  unit: { enum: UNITS },
  direction: { enum: ['lower', 'higher'] },
});

const check = closed(['name', 'passed', 'measured', 'expected'], {
  name: nonEmptyString,
  passed: { type: 'boolean' },
  measured: { type: ['number', 'string', 'boolean'] },
  expected: { type: 'string' },
  timing: { const: true },
});

const scenario: SchemaObject = {
  ...closed(['id', 'category', 'params', 'checks', 'metrics', 'wallMs', 'status'], {
    id: nonEmptyString,
    category: { enum: [...CATEGORIES] },
    params: { type: 'object', additionalProperties: { type: ['number', 'string', 'boolean'] } },
    checks: { type: 'array', items: check },
    metrics: { type: 'object', additionalProperties: metric },
    samples: closed(['unit', 'observed', 'values'], {
      unit: { const: 'ms' },
      observed: { type: 'integer', minimum: 0 },
      values: { type: 'array', items: { type: 'number' } },
    }),
    wallMs: nonNegative,
    status: { enum: ['passed', 'failed', 'errored'] },
    error: closed(['name', 'message'], { name: { type: 'string' }, message: { type: 'string' }, at: { type: 'string' } }),
  }),
  if: { properties: { status: { const: 'errored' } } },
  then: { required: ['error'] },
  else: { properties: { error: false } },
};

/** The schema every results document is checked against on write and on read. */
export const RESULTS_SCHEMA: SchemaObject = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://perf-gate.local/schemas/results.json',
  title: 'perf-gate results document',
  ...closed(['schemaVersion', 'run', 'environment', 'calibration', 'timings', 'scenarios'], {
    schemaVersion: { const: RESULTS_SCHEMA_VERSION },
    run: closed(['startedAt', 'finishedAt', 'toolVersion', 'seed'], {
      startedAt: nonEmptyString,
      finishedAt: nonEmptyString,
      gitSha: { type: 'string' },
      gitRef: { type: 'string' },
      toolVersion: { type: 'string' },
      seed: { type: 'integer' },
    }),
    environment: closed(['postgres', 'node', 'cpu', 'os', 'pool'], {
      postgres: closed(['version', 'major', 'settings'], {
        version: { type: 'string' },
        major: { type: 'integer', minimum: 0 },
        settings: { type: 'object', additionalProperties: { type: 'string' } },
      }),
      node: closed(['version', 'major'], { version: { type: 'string' }, major: { type: 'integer', minimum: 0 } }),
      cpu: closed(['model', 'count'], { model: { type: 'string' }, count: { type: 'integer', minimum: 1 } }),
      os: closed(['platform', 'release', 'arch'], {
        platform: { type: 'string' },
        release: { type: 'string' },
        arch: { type: 'string' },
      }),
      pool: closed(['size', 'maxOverflow', 'timeoutSeconds'], {
        size: { type: 'integer', minimum: 0 },
        maxOverflow: { type: 'integer', minimum: 0 },
        timeoutSeconds: nonNegative,
      }),
    }),
    calibration: closed(['rawSelectOne', 'rawGetById', 'repoGetById', 'rawInsert', 'repoInsert'], {
      rawSelectOne: latencySummary,
      rawGetById: latencySummary,
      repoGetById: latencySummary,
      rawInsert: latencySummary,
      repoInsert: latencySummary,
    }),
    timings: closed(['setupMs', 'categories', 'totalMs'], {
      setupMs: nonNegative,
      categories: {
        type: 'object',
        propertyNames: { enum: [...CATEGORIES] },
        additionalProperties: closed(['wallMs'], { wallMs: nonNegative }),
      },
      totalMs: nonNegative,
    }),
    scenarios: { type: 'array', items: scenario },
    cost: COST_SECTION_SCHEMA,
  }),
};
