/**
 * Units of work that fail in real ways after doing some work first (a read, or a write the
 * rollback must undo), shared by the scenarios that check cleanup after errors.
 */
import { OperationTimeoutError, UniqueViolationError } from '../../db/errors.js';
import { errorKey } from '../harness/error-info.js';
import type { ScenarioContext } from '../scenario.js';
import type { Session } from '../subject.js';

/** Thrown by the operation itself: a plain JavaScript error inside the session. */
export class InjectedError extends Error {
  override readonly name = 'InjectedError';
}

/** The work a failing operation does in its session before the failure. */
export type Prelude = (session: Session) => Promise<unknown>;

/** One way of failing, and how to recognise its error where the caller catches it. */
export interface FailureCase {
  name: string;
  run(ctx: ScenarioContext, prelude: Prelude): Promise<unknown>;
  raised(error: unknown): boolean;
}

/** A JavaScript error thrown inside a transactional session. */
export const JS_ERROR: FailureCase = {
  name: 'js_error',
  run: (ctx, prelude) =>
    ctx.db.withSession(async (s) => {
      await prelude(s);
      throw new InjectedError('failed inside the session');
    }, { transactional: true }),
  raised: (error) => error instanceof InjectedError,
};

/** A write colliding with a seeded user's username: PostgreSQL's 23505, not retried. */
export const UNIQUE_VIOLATION: FailureCase = {
  name: 'unique_violation',
  run: (ctx, prelude) =>
    ctx.db.write(async (s) => {
      await prelude(s);
      const taken = ctx.random.pick(ctx.seed.live);
      await s.users.createUser({ username: taken.username, email: `dup.${ctx.random.int(0, 2 ** 31)}.${taken.email}` });
    }),
  raised: (error) => error instanceof UniqueViolationError,
};

/** A statement PostgreSQL cannot parse (42601). */
export const SYNTAX_ERROR: FailureCase = {
  name: 'syntax_error',
  run: (ctx, prelude) =>
    ctx.db.withSession(async (s) => {
      await prelude(s);
      await s.em.execute('selec 1');
    }, { transactional: true }),
  raised: (error) => errorKey(error) === '42601',
};

/** A statement outliving withSession's `timeoutMs` (ctx.options.operationTimeoutMs): cancelled by the server. */
export const TIMEOUT: FailureCase = {
  name: 'timeout',
  run: (ctx, prelude) =>
    ctx.db.withSession(async (s) => {
      await prelude(s);
      await s.em.execute('select pg_sleep(5)');
    }, { timeoutMs: ctx.options.operationTimeoutMs }),
  raised: (error) => error instanceof OperationTimeoutError,
};
