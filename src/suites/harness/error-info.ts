/**
 * How the harness counts and records a failure: the key it is counted under and the name and
 * message a results document keeps (the Error itself comes from common/error-message.ts).
 */
import { toError } from '../../common/error-message.js';
import type { ErrorInfo } from '../../results/types.js';

function codeOf(thrown: unknown): string | undefined {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const code = (thrown as { code?: unknown }).code;
  if (typeof code === 'string' && code !== '') return code;
  // Node reports a failed connect to a host with several addresses as an AggregateError.
  const inner = (thrown as { errors?: unknown }).errors;
  return Array.isArray(inner) && inner.length > 0 ? codeOf(inner[0]) : undefined;
}

/**
 * The key failures are counted under: the error's `code` when it has one (a SQLSTATE such as
 * `57P01` from PostgreSQL, `ECONNRESET` from Node), else its name (`TimeoutError`).
 */
export function errorKey(thrown: unknown): string {
  return codeOf(thrown) ?? (toError(thrown).name || 'Error');
}

/** The name and message of a thrown value, as the results document records an error. */
export function toErrorInfo(thrown: unknown): ErrorInfo {
  const error = toError(thrown);
  const code = codeOf(thrown);
  const name = error.name || 'Error';
  return { name: code && code !== name ? `${name} ${code}` : name, message: error.message };
}
