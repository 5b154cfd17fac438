import type { ErrorObject } from 'ajv';

/** A document that does not match its JSON Schema: names the source, the JSON path, the value and the expectation. */
export class SchemaValidationError extends Error {
  override readonly name = 'SchemaValidationError';

  constructor(
    /** The file or input the document came from. */
    readonly source: string,
    /** JSON path of the offending value, e.g. `$.scenarios[3].metrics.avg_ms.value`. */
    readonly jsonPath: string,
    message: string,
  ) {
    super(message);
  }
}

/** Turns a JSON pointer (`/scenarios/3/id`) into a JSON path (`$.scenarios[3].id`). */
export function formatJsonPath(pointer: string): string {
  if (pointer === '') return '$';
  const parts = pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return (
    '$' +
    parts
      .map((p) => (/^\d+$/.test(p) ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`))
      .join('')
  );
}

/** Reads the value a JSON pointer names, or undefined when it does not exist. */
export function readPointer(data: unknown, pointer: string): unknown {
  if (pointer === '') return data;
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Shows a bad value briefly: JSON, cut to 80 characters. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One sentence naming the path, the bad value and what was expected. */
function describeProblem(error: ErrorObject, jsonPath: string, value: unknown): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const inner = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
      return `${jsonPath} has unknown key '${key}' (value ${describeValue(inner)}); expected only the keys the schema defines`;
    }
    case 'required':
      return `${jsonPath} is missing the required key '${String(params.missingProperty)}'`;
    case 'enum':
      return `${jsonPath} must be one of ${describeValue(params.allowedValues)}, got ${describeValue(value)}`;
    case 'false schema':
      return `${jsonPath} is not allowed here, got ${describeValue(value)}`;
    case 'const':
      return `${jsonPath} must be ${describeValue(params.allowedValue)}, got ${describeValue(value)}`;
    default:
      return `${jsonPath} ${error.message ?? `fails '${error.keyword}'`}, got ${describeValue(value)}`;
  }
}

/** Builds the error for the first schema violation ajv reported. */
export function toSchemaError(source: string, error: ErrorObject, data: unknown): SchemaValidationError {
  const jsonPath = formatJsonPath(error.instancePath);
  const value = readPointer(data, error.instancePath);
  return new SchemaValidationError(source, jsonPath, `${source}: ${describeProblem(error, jsonPath, value)}`);
}
