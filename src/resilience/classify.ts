/**
 * Which failures are worth another attempt. Transient: the connection broke or was refused, the
 * server is shutting down or starting (57P01/57P02/57P03), any connection exception (08xxx), a
 * serialization failure (40001) or deadlock (40P01), and a pool acquire timeout. Everything else
 * (a unique violation, a syntax error, a statement timeout) fails at once.
 */

const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '40001', '40P01']);
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
  'timeout expired while connecting',
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

/** True when the error, or an error in its `cause` chain, is a transient database failure. */
export function isTransientError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (codesOf(current).code === '23505') return false;
    if (isTransientOne(current)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
