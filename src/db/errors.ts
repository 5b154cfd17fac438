import { NotFoundError as OrmNotFoundError, UniqueConstraintViolationException } from '@mikro-orm/core';

/** A row asked for by key does not exist (or is soft-deleted and was not asked for). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(
    readonly entity: string,
    readonly key: string,
  ) {
    super(`${entity} '${key}' was not found`);
  }
}

/** An insert or update collided with a unique constraint; `field` names the column when known. */
export class UniqueViolationError extends Error {
  override readonly name = 'UniqueViolationError';
  constructor(
    readonly entity: string,
    readonly field: string,
    readonly constraint: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`${entity} with this ${field} already exists`, options);
  }
}

/** An argument a caller passed is out of range: names the argument, the value and the expectation. */
export class InvalidArgumentError extends Error {
  override readonly name = 'InvalidArgumentError';
  constructor(
    readonly argument: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`'${argument}' must be ${expected}, got ${JSON.stringify(value)}`);
  }
}

const CONSTRAINT_FIELDS: Readonly<Record<string, { entity: string; field: string }>> = {
  users_username_unique: { entity: 'User', field: 'username' },
  users_email_unique: { entity: 'User', field: 'email' },
  api_keys_key_hash_unique: { entity: 'ApiKey', field: 'key' },
  users_pkey: { entity: 'User', field: 'id' },
};

/**
 * Turns the ORM's and the driver's errors into the data layer's typed errors where there is one;
 * anything else (transient connection errors included) passes through unchanged for the
 * resilience layer to classify.
 */
export function translateError(error: unknown): unknown {
  if (error instanceof UniqueConstraintViolationException) {
    const constraint = (error as { constraint?: string }).constraint;
    const known = constraint ? CONSTRAINT_FIELDS[constraint] : undefined;
    return new UniqueViolationError(known?.entity ?? 'row', known?.field ?? constraint ?? 'key', constraint, {
      cause: error,
    });
  }
  if (error instanceof OrmNotFoundError) return new NotFoundError('row', error.message);
  return error;
}

/** Where a unit of work's time limit came from: the caller's own, or the data layer's default. */
export type TimeLimitSource = 'caller' | 'DATABASE_OPERATION_TIMEOUT';

/** An operation ran past its time limit; the server cancelled its statement (or was told to). */
export class OperationTimeoutError extends Error {
  override readonly name = 'OperationTimeoutError';
  constructor(
    readonly limitMs: number,
    readonly source: TimeLimitSource = 'caller',
    options?: { cause?: unknown },
  ) {
    const from = source === 'caller' ? '' : ` (${source})`;
    super(`the operation exceeded its ${limitMs} ms time limit${from} and was cancelled`, options);
  }
}

/** knex's pool gave up waiting for a connection (DATABASE_POOL_TIMEOUT), found anywhere in the cause chain. */
export function isAcquireTimeout(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { name, message } = current as { name?: unknown; message?: unknown };
    if (name === 'KnexTimeoutError') return true;
    if (typeof message === 'string' && message.toLowerCase().includes('timeout acquiring a connection')) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** SQLSTATE 57014: the server cancelled a statement (statement_timeout or pg_cancel_backend). */
export function isQueryCanceled(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '57014';
}

/**
 * The connection was lost while COMMIT was in flight (or the client deadline passed then), so the
 * transaction may or may not have been applied. Never replayed: replaying a write that did commit
 * would apply it twice (a second audit row, a double update). The caller decides, e.g. by reading
 * back what the write was meant to change.
 */
export class CommitOutcomeUnknownError extends Error {
  override readonly name = 'CommitOutcomeUnknownError';
  /** Read by the resilience layer: never retried, whatever the cause. */
  readonly retryable = false;
  constructor(options?: { cause?: unknown }) {
    super(
      'the connection was lost while the transaction was committing, so whether it was applied is unknown; ' +
        'it was not retried (a replay could apply it twice): read back the data before repeating it',
      options,
    );
  }
}

/**
 * No pooled connection became free within DATABASE_POOL_TIMEOUT while every connection was in use:
 * the pool is exhausted, the server is fine. Neither retried (another wait would only add to the
 * queue) nor counted by the circuit breaker.
 */
export class PoolTimeoutError extends Error {
  override readonly name = 'PoolTimeoutError';
  /** Read by the resilience layer: never retried, whatever the cause. */
  readonly retryable = false;
  /** Read by the resilience layer: not a sign of a failing server, so the breaker ignores it. */
  readonly outage = false;
  constructor(
    readonly timeoutSeconds: number,
    readonly maxConnections: number,
    options?: { cause?: unknown },
  ) {
    super(
      `no pooled connection became free within DATABASE_POOL_TIMEOUT (${timeoutSeconds} s): ` +
        `all ${maxConnections} connections (DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW) were in use`,
      options,
    );
  }
}
