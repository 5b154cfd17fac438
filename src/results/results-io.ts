import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Ajv } from 'ajv';
import { RESULTS_SCHEMA } from './results-schema.js';
import { describeValue, SchemaValidationError, toSchemaError } from './schema-error.js';
import { RESULTS_SCHEMA_VERSION, type ResultsDocument } from './types.js';
import { readJsonFile } from './untrusted-json.js';

const validate = new Ajv({ strictNumbers: true, allowUnionTypes: true }).compile<ResultsDocument>(RESULTS_SCHEMA);

/**
 * Checks that `doc` is a ResultsDocument and returns it typed. Throws a SchemaValidationError that
 * names `source`, the JSON path, the bad value and what was expected.
 */
export function validateResults(doc: unknown, source: string): ResultsDocument {
  if (validate(doc)) return doc;
  const version = (doc as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== RESULTS_SCHEMA_VERSION) {
    // A document of another version fails on many keys; its version is the one thing worth saying.
    throw new SchemaValidationError(source, '$.schemaVersion', `${source}: $.schemaVersion must be ${RESULTS_SCHEMA_VERSION}, got ${describeValue(version)}`);
  }
  const first = validate.errors?.[0];
  if (!first) throw new Error(`${source}: is not a valid results document`);
  throw toSchemaError(source, first, doc);
}

/** The text of a results document as it is written to a file. */
export function formatResultsJson(doc: ResultsDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Validates `doc` and writes it to `path` atomically: a temporary file next to it, then a rename, so a
 * reader never sees half a document.
 */
export async function writeResults(path: string, doc: ResultsDocument): Promise<void> {
  validateResults(doc, path);
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, formatResultsJson(doc), { flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Reads and validates a results document; errors name the file. Above the results cap
 * (DOCUMENT_LIMITS) it is refused before it is parsed, and so is a forbidden key anywhere in it.
 */
export async function readResults(path: string): Promise<ResultsDocument> {
  return validateResults(await readJsonFile(path, 'results'), path);
}
