import type { SchemaObject } from 'ajv';
import { RESULTS_SCHEMA } from '../results/results-schema.js';
import type { Comparison } from '../verdict/types.js';
import { COST_COMPARISON_SCHEMA } from './cost-comparison-schema.js';

/**
 * The comparison document for machines: the Comparison of src/verdict/types.ts with a schema version.
 * Non-finite numbers (an infinite z when the history had no noise at all) are written as null.
 */

/** Bumped whenever a reader would misread an older comparison document (2: duet mode). */
export const COMPARISON_SCHEMA_VERSION = 2;

export type ComparisonDocument = { schemaVersion: typeof COMPARISON_SCHEMA_VERSION } & Comparison;

const num = { type: 'number' };
const numOrNull = { type: ['number', 'null'] };
const str = { type: 'string' };
const closed = (required: string[], properties: Record<string, unknown>): SchemaObject => ({
  type: 'object',
  required,
  properties,
  additionalProperties: false,
});

const view = closed(
  ['baseline', 'current', 'change', 'changePercent', 'noise', 'z', 'worseBeyondTolerance', 'betterBeyondTolerance'],
  {
    baseline: num,
    current: num,
    change: num,
    changePercent: numOrNull,
    noise: numOrNull,
    z: numOrNull,
    worseBeyondTolerance: { type: 'boolean' },
    betterBeyondTolerance: { type: 'boolean' },
  },
);

const relative = closed(
  ['mode', 'modeReason', 'historyRuns', 'raw', 'calibrated', 'decidedOn', 'tolerancePercent', 'absoluteFloor', 'minEvidenceZ'],
  {
    mode: { enum: ['evidence', 'tolerance-only'] },
    modeReason: { type: ['string', 'null'] },
    historyRuns: { type: 'integer', minimum: 0 },
    raw: view,
    calibrated: { oneOf: [view, { type: 'null' }] },
    decidedOn: { enum: ['raw', 'calibrated', 'both'] },
    tolerancePercent: num,
    absoluteFloor: num,
    minEvidenceZ: num,
  },
);

const relativeOrNull = { oneOf: [relative, { type: 'null' }] };

const paired = closed(
  ['method', 'outcome', 'leaning', 'base', 'change', 'changePercent', 'interval', 'pairs', 'droppedPairs', 'tolerancePercent', 'absoluteFloor', 'margin', 'marginPercent', 'reason'],
  {
    method: { enum: ['rounds', 'whole-run'] },
    outcome: { enum: ['regressed', 'improved', 'pass', 'inconclusive'] },
    leaning: { enum: ['worse', 'better', null] },
    base: numOrNull,
    change: numOrNull,
    changePercent: numOrNull,
    interval: {
      oneOf: [
        closed(['confidence', 'low', 'high', 'lowPercent', 'highPercent'], { confidence: num, low: num, high: num, lowPercent: numOrNull, highPercent: numOrNull }),
        { type: 'null' },
      ],
    },
    pairs: { type: 'integer', minimum: 0 },
    droppedPairs: { type: 'integer', minimum: 0 },
    tolerancePercent: num,
    absoluteFloor: num,
    margin: numOrNull,
    marginPercent: numOrNull,
    reason: str,
  },
);

const armFigures = {
  oneOf: [
    closed(['status', 'metrics'], { status: { enum: ['passed', 'failed', 'errored'] }, metrics: { type: 'object', additionalProperties: numOrNull } }),
    { type: 'null' },
  ],
};

const armName = { enum: ['head', 'base'] };

/** How a duet ran and both arms' figures per round (present in duet mode only). */
const duet = closed(['headSha', 'baseSha', 'rounds', 'roundsRun', 'changed', 'extended', 'timings', 'scenarios'], {
  headSha: { type: ['string', 'null'] },
  baseSha: { type: ['string', 'null'] },
  rounds: { type: 'integer', minimum: 1 },
  roundsRun: closed(['min', 'max'], { min: { type: 'integer', minimum: 0 }, max: { type: 'integer', minimum: 0 } }),
  changed: { type: 'array', items: str },
  extended: { type: 'array', items: str },
  timings: closed(['preparation', 'setupMs', 'wallMs'], {
    preparation: { oneOf: [closed(['headMs', 'baseMs'], { headMs: num, baseMs: num }), { type: 'null' }] },
    setupMs: closed(['head', 'base'], { head: num, base: num }),
    wallMs: num,
  }),
  scenarios: {
    type: 'array',
    items: closed(['scenarioId', 'status', 'rounds', 'extendedBy', 'figures'], {
      scenarioId: str,
      status: { enum: ['paired', 'new', 'missing', 'changed', 'errored'] },
      rounds: { type: 'integer', minimum: 0 },
      extendedBy: { type: 'integer', minimum: 0 },
      figures: {
        type: 'array',
        items: closed(['round', 'order', 'head', 'base'], {
          round: { type: 'integer', minimum: 0 },
          order: { type: 'array', items: armName, minItems: 2, maxItems: 2 },
          head: armFigures,
          base: armFigures,
        }),
      },
    }),
  },
});

/** Extra required keys per verdict kind. */
const KIND_FIELDS: Readonly<Record<string, string[]>> = {
  pass: ['current', 'relative'],
  regressed: ['current', 'relative', 'rerun'],
  improved: ['current', 'relative'],
  breached: ['current', 'limit', 'relative'],
  new: ['current'],
  missing: ['baseline'],
  errored: ['error'],
};

const verdict: SchemaObject = {
  ...closed(['scenarioId', 'metric', 'unit', 'direction', 'severity', 'notes', 'kind'], {
    scenarioId: str,
    metric: str,
    unit: { enum: ['ms', 's', 'ops/s', 'count', 'ratio', 'percent', 'MB', null] },
    direction: { enum: ['lower', 'higher'] },
    severity: { enum: ['fail', 'warn'] },
    notes: { type: 'array', items: str },
    kind: { enum: Object.keys(KIND_FIELDS) },
    current: num,
    relative: relativeOrNull,
    rerun: {
      oneOf: [closed(['held', 'current', 'changePercent'], { held: { type: 'boolean' }, current: numOrNull, changePercent: numOrNull }), { type: 'null' }],
    },
    limit: closed(['bound', 'value'], { bound: { enum: ['max', 'min'] }, value: num }),
    paired,
    baseline: numOrNull,
    error: closed(['name', 'message'], { name: str, message: str, at: str }),
  }),
  allOf: Object.entries(KIND_FIELDS).map(([kind, required]) => ({
    if: { properties: { kind: { const: kind } } },
    then: { required, not: { anyOf: allFieldsExcept(required).map((key) => ({ required: [key] })) } },
  })),
};

/** Fields a kind must not carry; `paired` may ride on pass, regressed, improved and breached. */
function allFieldsExcept(keep: readonly string[]): string[] {
  const fields = ['current', 'relative', 'rerun', 'limit', 'baseline', 'error', 'paired'];
  return fields.filter((key) => !keep.includes(key) && !(key === 'paired' && keep.includes('relative')));
}

const counts = ['regressions', 'breaches', 'errored', 'failedChecks', 'warnings', 'improvements'];
const definitions = RESULTS_SCHEMA.properties as Record<string, SchemaObject>;

/** JSON Schema of the comparison document (draft-07). */
export const COMPARISON_SCHEMA: SchemaObject = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://perf-gate.local/schemas/comparison.json',
  title: 'perf-gate comparison document',
  ...closed(['schemaVersion', 'mode', 'run', 'totalMs', 'environment', 'fingerprint', 'calibration', 'history', 'verdicts', 'failedChecks', 'trends', 'outcome'], {
    schemaVersion: { const: COMPARISON_SCHEMA_VERSION },
    mode: { enum: ['history', 'duet'] },
    duet,
    run: definitions.run,
    totalMs: num,
    environment: definitions.environment,
    fingerprint: closed(['differences', 'policy', 'excludedRuns'], {
      differences: {
        type: 'array',
        items: closed(['field', 'baseline', 'current'], { field: { enum: ['postgres.major', 'cpu.count', 'node.major'] }, baseline: num, current: num }),
      },
      policy: { enum: ['fail', 'warn'] },
      excludedRuns: { type: 'integer', minimum: 0 },
    }),
    calibration: closed(['current', 'reference', 'baselineReference', 'factor'], {
      current: definitions.calibration,
      reference: { const: 'rawGetById.p50' },
      baselineReference: numOrNull,
      factor: numOrNull,
    }),
    history: closed(['runs', 'shas', 'minHistory'], {
      runs: { type: 'integer', minimum: 0 },
      shas: { type: 'array', items: { type: ['string', 'null'] } },
      minHistory: { type: 'integer', minimum: 1 },
    }),
    verdicts: { type: 'array', items: verdict },
    failedChecks: {
      type: 'array',
      items: closed(['scenarioId', 'check', 'severity'], {
        scenarioId: str,
        check: (definitions.scenarios?.items as SchemaObject).properties.checks.items,
        severity: { enum: ['fail', 'warn'] },
        rerun: closed(['passed', 'measured'], { passed: { type: 'boolean' }, measured: { type: ['number', 'string', 'boolean'] } }),
      }),
    },
    trends: {
      type: 'array',
      items: closed(['scenarioId', 'metric', 'labels', 'values'], {
        scenarioId: str,
        metric: str,
        labels: { type: 'array', items: str },
        values: { type: 'array', items: numOrNull },
      }),
    },
    outcome: closed(['kind', ...counts], {
      kind: { enum: ['pass', 'fail'] },
      ...Object.fromEntries(counts.map((c) => [c, { type: 'integer', minimum: 0 }])),
    }),
    cost: COST_COMPARISON_SCHEMA,
  }),
};

/** Replaces non-finite numbers, which JSON cannot hold, by null. */
function replaceNonFinite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

/** The comparison document as the text written to comparison.json. */
export function formatComparisonJson(comparison: Comparison): string {
  return `${JSON.stringify(toComparisonJson(comparison), null, 2)}\n`;
}

/** The comparison as a plain JSON document with its schema version (validate with COMPARISON_SCHEMA). */
export function toComparisonJson(comparison: Comparison): ComparisonDocument {
  const plain = JSON.parse(JSON.stringify(comparison, replaceNonFinite)) as Comparison;
  return { schemaVersion: COMPARISON_SCHEMA_VERSION, ...plain };
}
