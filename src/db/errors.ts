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

/** An operation ran past its time limit; the server cancelled its statement (or was told to). */
export class OperationTimeoutError extends Error {
  override readonly name = 'OperationTimeoutError';
  constructor(
    readonly limitMs: number,
    options?: { cause?: unknown },
  ) {
    super(`the operation exceeded its ${limitMs} ms time limit and was cancelled`, options);
  }
}

/** SQLSTATE 57014: the server cancelled a statement (statement_timeout or pg_cancel_backend). */
export function isQueryCanceled(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '57014';
}
