/**
 * Validation of every line of the worker protocol (protocol.ts), both ways: the worker checks each
 * request, the coordinator each reply. A line is parsed as JSON, its `type` picks the message's JSON
 * Schema, and the first violation becomes a ProtocolError naming the line, the JSON path, the value
 * and what was expected. Scenario results, fingerprints and calibrations reuse the results
 * document's own schema, so a reply holds nothing a results document would refuse.
 */
import { Ajv, type SchemaObject, type ValidateFunction } from 'ajv';
import { COST_SECTION_SCHEMA } from '../results/cost-section-schema.js';
import { RESULTS_SCHEMA } from '../results/results-schema.js';
import { describeValue, toSchemaError } from '../results/schema-error.js';
import { CATEGORIES } from '../results/types.js';
import {
  excerptLine,
  PROTOCOL_VERSION,
  ProtocolError,
  type WorkerReply,
  type WorkerRequest,
} from './protocol.js';

const closed = (required: string[], properties: Record<string, unknown>): SchemaObject => ({
  type: 'object',
  required,
  properties,
  additionalProperties: false,
});
const positive = { type: 'number', exclusiveMinimum: 0 };
const nonNegative = { type: 'number', minimum: 0 };
const wholeFrom = (minimum: number) => ({ type: 'integer', minimum });
const nonEmptyString = { type: 'string', minLength: 1 };
const resultsParts = RESULTS_SCHEMA.properties as Record<string, SchemaObject>;
const scenarioResult = (resultsParts.scenarios as { items: SchemaObject }).items;

const settings = closed(['pool', 'retry', 'breaker', 'operationTimeoutSeconds'], {
  pool: closed(['size', 'maxOverflow', 'timeoutSeconds', 'idleTimeoutSeconds'], {
    size: wholeFrom(1),
    maxOverflow: wholeFrom(0),
    timeoutSeconds: positive,
    idleTimeoutSeconds: positive,
  }),
  retry: closed(['maxRetries', 'delaySeconds', 'backoff', 'jitter', 'maxDelaySeconds'], {
    maxRetries: wholeFrom(0),
    delaySeconds: nonNegative,
    backoff: positive,
    jitter: { type: 'boolean' },
    maxDelaySeconds: nonNegative,
  }),
  breaker: closed(['failureThreshold', 'recoveryTimeoutSeconds'], {
    failureThreshold: wholeFrom(1),
    recoveryTimeoutSeconds: positive,
  }),
  operationTimeoutSeconds: positive,
});

const suite = closed(['scale', 'breakerRecoverySeconds', 'transientFailureRate', 'benchmarkMaxSeconds', 'operationTimeoutMs'], {
  scale: positive,
  breakerRecoverySeconds: positive,
  transientFailureRate: { type: 'number', minimum: 0, maximum: 1 },
  benchmarkMaxSeconds: positive,
  operationTimeoutMs: positive,
  // Optional: the watchdog's budget arrived after protocol 1 was first written; a worker without it uses its default.
  scenarioTimeoutSeconds: positive,
});

const REQUEST_SCHEMAS: Record<WorkerRequest['type'], SchemaObject> = {
  start: closed(['type', 'serverUrl', 'databasePrefix', 'seed', 'seedUsers', 'settings', 'suite'], {
    type: { const: 'start' },
    serverUrl: { type: 'string', pattern: '^postgres(ql)?://' },
    // A prefix of a PostgreSQL identifier that needs no quoting, with room for the worker's suffix.
    databasePrefix: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,39}$' },
    seed: { type: 'integer', minimum: 0, maximum: 2 ** 32 - 1 },
    seedUsers: wholeFrom(1),
    settings,
    suite,
    calibrate: { type: 'boolean' },
  }),
  cost: closed(['type', 'scenarios'], { type: { const: 'cost' }, scenarios: { type: 'array', items: nonEmptyString } }),
  run: closed(['type', 'id', 'round', 'rounds', 'share'], {
    type: { const: 'run' },
    id: nonEmptyString,
    round: wholeFrom(0),
    rounds: wholeFrom(1),
    share: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
  }),
  stop: closed(['type'], { type: { const: 'stop' } }),
};

const REPLY_SCHEMAS: Record<WorkerReply['type'], SchemaObject> = {
  hello: closed(['type', 'protocol', 'toolVersion', 'scenarios'], {
    type: { const: 'hello' },
    protocol: { const: PROTOCOL_VERSION },
    toolVersion: { type: 'string' },
    scenarios: {
      type: 'array',
      items: closed(['id', 'category', 'params', 'definitionHash'], {
        id: nonEmptyString,
        category: { enum: [...CATEGORIES] },
        params: { type: 'object', additionalProperties: { type: ['number', 'string', 'boolean'] } },
        definitionHash: nonEmptyString,
      }),
    },
  }),
  ready: closed(['type', 'fingerprint', 'setupMs', 'database'], {
    type: { const: 'ready' },
    fingerprint: resultsParts.environment,
    setupMs: nonNegative,
    database: { type: 'string' },
    calibration: resultsParts.calibration,
  }),
  cost: closed(['type', 'cost'], { type: { const: 'cost' }, cost: { anyOf: [{ type: 'null' }, COST_SECTION_SCHEMA] } }),
  result: closed(['type', 'id', 'round', 'result'], {
    type: { const: 'result' },
    id: nonEmptyString,
    round: wholeFrom(0),
    result: scenarioResult,
  }),
  error: closed(['type', 'message'], { type: { const: 'error' }, message: { type: 'string' } }),
  stopped: closed(['type'], { type: { const: 'stopped' } }),
};

const ajv = new Ajv({ strictNumbers: true, allowUnionTypes: true });
const compileAll = <K extends string>(schemas: Record<K, SchemaObject>): Record<K, ValidateFunction> =>
  Object.fromEntries(Object.entries<SchemaObject>(schemas).map(([type, schema]) => [type, ajv.compile(schema)])) as Record<K, ValidateFunction>;
const validateRequest = compileAll(REQUEST_SCHEMAS);
const validateReply = compileAll(REPLY_SCHEMAS);

/** Where a line came from, for messages: `line 3 of the head worker's output`. */
export interface LineSource {
  /** `the head worker's output`, `the worker's input`. */
  stream: string;
  /** 1-based line number in that stream. */
  line: number;
}

function parseLine<T>(text: string, from: LineSource, validators: Record<string, ValidateFunction>): T {
  const where = `line ${from.line} of ${from.stream}`;
  let message: unknown;
  try {
    message = JSON.parse(text) as unknown;
  } catch {
    throw new ProtocolError(`${where} is not JSON: ${excerptLine(text)}`);
  }
  const type = (message as { type?: unknown } | null)?.type;
  const validate = typeof type === 'string' && Object.hasOwn(validators, type) ? validators[type] : undefined;
  if (!validate) {
    const expected = Object.keys(validators).join(', ');
    throw new ProtocolError(`${where} has type ${describeValue(type)}, expected one of ${expected}: ${excerptLine(text)}`);
  }
  if (!validate(message)) {
    const first = validate.errors?.[0];
    const problem = first ? toSchemaError(where, first, message).message : `${where} is not a valid '${type}' message`;
    throw new ProtocolError(`${problem}: ${excerptLine(text)}`);
  }
  return message as T;
}

/** Parses one request line (worker side). */
export function parseRequest(text: string, from: LineSource): WorkerRequest {
  return parseLine<WorkerRequest>(text, from, validateRequest);
}

/**
 * Parses one reply line (coordinator side). A hello of another protocol version is refused by
 * name before its shape is looked at: a newer worker's hello may differ in every other field.
 */
export function parseReply(text: string, from: LineSource): WorkerReply {
  const peek = ((): { type?: unknown; protocol?: unknown } | undefined => {
    try {
      return JSON.parse(text) as { type?: unknown; protocol?: unknown };
    } catch {
      return undefined;
    }
  })();
  if (peek?.type === 'hello' && peek.protocol !== PROTOCOL_VERSION) {
    throw new ProtocolError(
      `line ${from.line} of ${from.stream}: the worker speaks protocol ${describeValue(peek.protocol)}, this coordinator speaks protocol ${PROTOCOL_VERSION}`,
    );
  }
  return parseLine<WorkerReply>(text, from, validateReply);
}
