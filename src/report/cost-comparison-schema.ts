/**
 * JSON Schema of the comparison document's optional `cost` part (verdict/cost-types.ts). Findings
 * (cost/cost-findings.ts) are checked for their kind and severity; their other fields follow the
 * kind and are left open here.
 */
import type { SchemaObject } from 'ajv';

const closed = (required: string[], properties: Record<string, unknown>): SchemaObject => ({
  type: 'object',
  required,
  properties,
  additionalProperties: false,
});
const count = { type: 'integer', minimum: 0 };
const str = { type: 'string' };
const severity = { enum: ['fail', 'warn'] };

const counts = closed(['statements', 'roundTrips', 'transactionControl', 'rowsReturned', 'rowsAffected', 'rowsExamined', 'sharedBuffers'], {
  statements: count,
  roundTrips: count,
  transactionControl: count,
  rowsReturned: count,
  rowsAffected: count,
  rowsExamined: count,
  sharedBuffers: { type: ['integer', 'null'], minimum: 0 },
});
const countsOrNull = { anyOf: [{ type: 'null' }, counts] };

const finding = {
  type: 'object',
  required: ['kind', 'severity'],
  properties: { kind: str, severity: { enum: ['regression', 'improvement', 'info', 'report'] } },
};

const operation = closed(['operation', 'scenarioId', 'status', 'severity', 'base', 'head', 'findings'], {
  operation: str,
  scenarioId: str,
  status: { enum: ['regressed', 'improved', 'changed', 'buffers', 'errored', 'new', 'missing'] },
  severity,
  base: countsOrNull,
  head: countsOrNull,
  findings: { type: 'array', items: finding },
  error: closed(['name', 'message'], { name: str, message: str, at: str }),
});

const growth = closed(['family', 'scenarioId', 'severity', 'finding'], {
  family: str,
  scenarioId: str,
  severity,
  finding: { ...finding, properties: { ...finding.properties, kind: { const: 'statements-grow' } } },
});

/** The `cost` part of a comparison document. */
export const COST_COMPARISON_SCHEMA = closed(['against', 'planSource', 'operations', 'unchanged', 'growth'], {
  against: {
    oneOf: [
      closed(['kind'], { kind: { const: 'base' } }),
      closed(['kind', 'sha'], { kind: { const: 'baseline' }, sha: { type: ['string', 'null'] } }),
      closed(['kind', 'reason'], { kind: { const: 'none' }, reason: str }),
    ],
  },
  planSource: {
    type: 'object',
    required: ['kind'],
    properties: { kind: { enum: ['auto_explain', 'explain', 'none'] }, reason: str },
    additionalProperties: false,
  },
  operations: { type: 'array', items: operation },
  unchanged: count,
  growth: { type: 'array', items: growth },
});
