/**
 * The sidecar written next to the results in gate mode (`context.json`): which pull request and head
 * commit the files belong to, and what the comment must say besides the comparison. The comment
 * mode of a fork's second stage checks it against the workflow_run event before posting anything.
 */
import { Ajv } from 'ajv';
import { toSchemaError } from '../results/schema-error.js';

export const RUN_CONTEXT_FILE = 'context.json';

export interface RunContextDocument {
  schemaVersion: 1;
  /** `owner/name` of the repository the run belongs to. */
  repository: string;
  /** GITHUB_EVENT_NAME of the gate run. */
  event: string;
  /** The pull request, or null outside pull requests. */
  prNumber: number | null;
  /** The pull request's head commit (the pushed commit outside pull requests). */
  headSha: string;
  /** What the pull request changes in thresholds.json, one line each. */
  thresholdsChange: string[];
  /** Notes for the comment (e.g. where the thresholds came from). */
  notes: string[];
  /** Lines for under the comment's headline (a duet that fell back to the history, and why); optional, as older uploads lack it. */
  headlineNotes?: string[];
}

const lines = { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 1000 } };

const RUN_CONTEXT_SCHEMA = {
  type: 'object',
  required: ['schemaVersion', 'repository', 'event', 'prNumber', 'headSha', 'thresholdsChange', 'notes'],
  additionalProperties: false,
  properties: {
    schemaVersion: { const: 1 },
    repository: { type: 'string', pattern: '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$' },
    event: { type: 'string', maxLength: 100 },
    prNumber: { type: ['integer', 'null'], minimum: 1 },
    headSha: { type: 'string', pattern: '^[0-9a-f]{40,64}$' },
    thresholdsChange: lines,
    notes: lines,
    headlineNotes: lines,
  },
};

const validate = new Ajv({ allowUnionTypes: true }).compile<RunContextDocument>(RUN_CONTEXT_SCHEMA);

/** Checks a parsed context document; errors name `source`, the JSON path and the expectation. */
export function validateRunContext(doc: unknown, source: string): RunContextDocument {
  if (validate(doc)) return doc;
  const first = validate.errors?.[0];
  throw first ? toSchemaError(source, first, doc) : new Error(`${source}: is not a valid run context`);
}
