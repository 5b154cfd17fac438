/**
 * JSON Schema of the results document's `cost` section (cost-section.ts) and of the cost records
 * in it (cost/cost-record.ts), kept in step with the types by hand as results-schema.ts is.
 */
import type { SchemaObject } from 'ajv';
import { COST_RECORD_VERSION } from '../cost/cost-record.js';

const closed = (required: string[], properties: Record<string, unknown>): SchemaObject => ({
  type: 'object',
  required,
  properties,
  additionalProperties: false,
});
const count = { type: 'integer', minimum: 0 };
const counts = { type: 'array', items: count };
const strings = { type: 'array', items: { type: 'string' } };
const str = { type: 'string' };
const countOrNull = { type: ['integer', 'null'], minimum: 0 };

const planSource: SchemaObject = {
  oneOf: [
    closed(['kind'], { kind: { const: 'auto_explain' } }),
    closed(['kind', 'reason'], { kind: { enum: ['explain', 'none'] }, reason: str }),
  ],
};

const plan: SchemaObject = {
  oneOf: [
    closed(['kind', 'hash', 'nodes', 'seqScans', 'indexes', 'rowsRemovedByFilter', 'sharedBuffers'], {
      kind: { const: 'analyzed' },
      hash: str,
      nodes: strings,
      seqScans: strings,
      indexes: strings,
      rowsRemovedByFilter: count,
      sharedBuffers: countOrNull,
    }),
    closed(['kind', 'hash', 'nodes', 'seqScans', 'indexes'], { kind: { const: 'estimated' }, hash: str, nodes: strings, seqScans: strings, indexes: strings }),
    closed(['kind', 'reason'], { kind: { const: 'missing' }, reason: str }),
  ],
};

const statement = closed(
  ['fingerprint', 'normalized', 'kind', 'statements', 'transactionControl', 'parameters', 'inLengths', 'valuesLengths', 'rows', 'end'],
  {
    fingerprint: str,
    normalized: str,
    kind: { enum: ['select', 'insert', 'update', 'delete', 'merge', 'transaction', 'utility', 'multiple', 'unparsed'] },
    statements: count,
    transactionControl: count,
    parameters: count,
    inLengths: counts,
    valuesLengths: counts,
    rows: closed(['returned', 'affected'], { returned: count, affected: count }),
    end: {
      oneOf: [
        closed(['kind'], { kind: { enum: ['completed', 'pending'] } }),
        closed(['kind', 'code'], { kind: { const: 'failed' }, code: { type: ['string', 'null'] } }),
      ],
    },
    plan,
  },
);

const call = closed(
  ['statements', 'roundTrips', 'transactionControl', 'rowsReturned', 'rowsAffected', 'connections', 'sharedBuffers', 'strayPlans', 'sequence'],
  {
    statements: count,
    roundTrips: count,
    transactionControl: count,
    rowsReturned: count,
    rowsAffected: count,
    connections: count,
    sharedBuffers: countOrNull,
    strayPlans: count,
    sequence: { type: 'array', items: statement },
  },
);

/** A cost record (cost/cost-record.ts) of the version this build reads. */
export const COST_RECORD_SCHEMA = closed(
  ['version', 'operation', 'callsMeasured', 'planSource', 'serverVersionNum', 'stable', 'buffersStable', 'calls', 'pattern'],
  {
    version: { const: COST_RECORD_VERSION },
    operation: { type: 'string', minLength: 1 },
    callsMeasured: { type: 'integer', minimum: 1 },
    planSource,
    serverVersionNum: countOrNull,
    stable: { type: 'boolean' },
    buffersStable: { type: 'boolean' },
    calls: { type: 'array', minItems: 1, items: call },
    pattern: counts,
  },
);

const size = closed(['family', 'size'], { family: { type: 'string', minLength: 1 }, size: { type: 'integer', minimum: 1 } });
const operationBase = { id: { type: 'string', minLength: 1 }, scenarioId: { type: 'string', minLength: 1 }, size };

/** The `cost` section of a results document. */
export const COST_SECTION_SCHEMA = closed(['planSource', 'serverVersionNum', 'seededTables', 'wallMs', 'operations'], {
  planSource,
  serverVersionNum: count,
  seededTables: strings,
  seededRows: { type: 'object', additionalProperties: count },
  wallMs: { type: 'number', minimum: 0 },
  operations: {
    type: 'array',
    items: {
      oneOf: [
        closed(['id', 'scenarioId', 'status', 'record'], { ...operationBase, status: { const: 'measured' }, record: COST_RECORD_SCHEMA }),
        closed(['id', 'scenarioId', 'status', 'error'], {
          ...operationBase,
          status: { const: 'errored' },
          error: closed(['name', 'message'], { name: str, message: str, at: str }),
        }),
      ],
    },
  },
});
