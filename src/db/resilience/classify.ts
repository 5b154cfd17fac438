/**
 * Which failures are worth another attempt, and which tell that the server is failing.
 *
 * Transient (retried): the connection broke or was refused, the server is shutting down or
 * starting (57P01/57P02/57P03), any connection exception (08xxx), a serialization failure (40001)
 * or deadlock (40P01), and a pool acquire timeout while a connection was being opened (the server
 * did not answer). Everything else (a unique violation, a syntax error, a statement timeout) fails
 * at once.
 *
 * The data layer marks errors it has already judged: `retryable: false` (CommitOutcomeUnknownError,
 * PoolTimeoutError) is never retried whatever its cause, and `outage: false` (PoolTimeoutError, an
 * exhausted pool) is not counted by the circuit breaker. An outage is otherwise a transient failure,
 * also one behind `retryable: false`: a connection lost during COMMIT is not replayed, but it is
 * still a sign of a failing server. A serialization failure or a deadlock is not an outage: it is
 * contention between transactions on a healthy server, which a retry resolves; counting it would
 * let a hot row open the breaker and reject every request (at the 30% failure rate of
 * retry.transient_failures, five in a row come in about two runs of five).
 */

const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '40001', '40P01']);
/** Transient, but contention on a healthy server: retried, never counted by the breaker. */
const CONTENTION_SQLSTATES = new Set(['40001', '40P01']);
const TRANSIENT_ERRNOS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const TRANSIENT_MESSAGES = [
  'connection terminated',
  'client has encountered a connection error',
  'connection is not queryable',
  'timeout acquiring a connection',
  // pg's own connect timeout (connectionTimeoutMillis): the server did not answer a new connection.
  'timeout expired',
  'connection timeout',
  'server closed the connection unexpectedly',
];

function codesOf(error: unknown): { code?: string; name?: string; message: string } {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const e = error as { code?: unknown; sqlState?: unknown; name?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : typeof e.sqlState === 'string' ? e.sqlState : undefined;
  return {
    code,
    name: typeof e.name === 'string' ? e.name : undefined,
    message: typeof e.message === 'string' ? e.message.toLowerCase() : '',
  };
}

function isTransientOne(error: unknown): boolean {
  const { code, name, message } = codesOf(error);
  if (code === '23505') return false;
  if (code && (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_ERRNOS.has(code) || /^08[0-9A-Z]{3}$/.test(code))) {
    return true;
  }
  if (name === 'KnexTimeoutError') return true;
  return TRANSIENT_MESSAGES.some((fragment) => message.includes(fragment));
}

/** Walks the cause chain: a marker `stopAt: false` settles it, else the first transient error does. */
function walkCauses(error: unknown, stopAt: 'retryable' | 'outage'): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (typeof current === 'object' && (current as Record<string, unknown>)[stopAt] === false) return false;
    const { code } = codesOf(current);
    if (code === '23505') return false;
    if (stopAt === 'outage' && code !== undefined && CONTENTION_SQLSTATES.has(code)) return false;
    if (isTransientOne(current)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** True when the error, or an error in its `cause` chain, is a transient failure worth a retry. */
export function isTransientError(error: unknown): boolean {
  return walkCauses(error, 'retryable');
}

/** True when the error tells that the server or the network is failing: the circuit breaker counts it. */
export function isOutageError(error: unknown): boolean {
  return walkCauses(error, 'outage');
}
