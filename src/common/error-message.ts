/**
 * The one place an unknown thrown value becomes an Error or a message. Anything can be thrown in
 * JavaScript (a string, an object, undefined); every catch that reports or records a failure goes
 * through here, so each shows the same text for the same value.
 */

/** An Error for any thrown value (strings and objects are wrapped, Errors kept as they are). */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    // undefined, a function or a symbol have no JSON text: their String() names them instead.
    return new Error(JSON.stringify(thrown) ?? String(thrown));
  } catch {
    return new Error(String(thrown));
  }
}

/** The message of any thrown value: an Error's message, a string as it is, anything else as JSON. */
export function describeError(thrown: unknown): string {
  return toError(thrown).message;
}
