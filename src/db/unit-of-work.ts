/**
 * One unit of work under its time limit, and what its failure means for a replay.
 *
 * Every unit has a limit: the caller's, or DATABASE_OPERATION_TIMEOUT. The server enforces it on
 * each statement (statement_timeout: set locally in the transaction for a caller's limit, the
 * connection's default for DATABASE_OPERATION_TIMEOUT, so the default costs no round trip), and a
 * client-side deadline one second later covers a server that never answers.
 *
 * A transaction's failure is judged by how far it got. Until COMMIT is sent, PostgreSQL cannot have
 * applied anything, so the error passes through for the resilience layer to classify (a 40001 or a
 * broken connection is replayed). Once COMMIT is in flight, only an error the server itself sent
 * back proves the transaction was rolled back; a lost connection then means the outcome is unknown,
 * and the unit fails with CommitOutcomeUnknownError, which is never replayed. The client deadline
 * likewise: before the caller's function returns, the transaction is made to roll back (and the
 * caller gets OperationTimeoutError); after it, the COMMIT can no longer be stopped (unknown).
 */
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { CommitOutcomeUnknownError, isQueryCanceled, OperationTimeoutError, type TimeLimitSource } from './errors.js';

/** Extra time the client waits past the limit for the server's own cancellation to arrive. */
const CLIENT_GRACE_MS = 1000;

/** How a unit of work runs. */
export interface UnitPlan {
  /** Run the whole function in one transaction (committed at the end, rolled back on error); required for a caller's limit. */
  transactional: boolean;
  /** The limit in ms. */
  limitMs: number;
  /**
   * `caller`: a limit of the caller's own, set on the transaction so it can differ from the
   * connection's default. `DATABASE_OPERATION_TIMEOUT`: the connection's default applies.
   */
  source: TimeLimitSource;
}

/**
 * What the unit got to, read when it fails. `work`: the caller's function runs. `finishing`: it
 * returned; the ORM flushes what is left and will send COMMIT. `committing`: COMMIT was sent.
 */
interface Progress {
  phase: 'work' | 'finishing' | 'committing';
  /** The backend running the transaction, when known (read with a caller's limit): cancelled at the deadline. */
  pid?: number;
  /** The client deadline passed in `work`: the caller has been told, so the work must never commit. */
  expired: boolean;
}

/** Runs `fn` as planned; `cancelBackend` asks the server to cancel a backend's statement (best effort). */
export async function runUnitOfWork<T>(
  em: EntityManager,
  fn: (em: EntityManager) => Promise<T>,
  plan: UnitPlan,
  cancelBackend: (pid: number) => Promise<void>,
): Promise<T> {
  const progress: Progress = { phase: 'work', expired: false };
  const work = plan.transactional ? runTransaction(em, fn, plan, progress) : fn(em);
  try {
    return await raceDeadline(work, plan.limitMs + CLIENT_GRACE_MS, async () => {
      // Past `work` the COMMIT has been let go: it is neither stopped nor cancelled.
      if (progress.phase !== 'work') return;
      progress.expired = true;
      if (progress.pid !== undefined) await cancelBackend(progress.pid);
    });
  } catch (error) {
    throw judgeFailure(error, progress, plan);
  }
}

async function runTransaction<T>(
  em: EntityManager,
  fn: (em: EntityManager) => Promise<T>,
  plan: UnitPlan,
  progress: Progress,
): Promise<T> {
  return em.transactional(async (tx) => {
    const trx = tx.getTransactionContext<Knex.Transaction>();
    if (!trx) throw new Error('em.transactional ran the unit of work without a transaction');
    // knex hands over a transaction whose BEGIN failed (a connection lost before the transaction
    // began) and only says "Transaction query already complete" on the first query; the real
    // error, which decides whether to replay, is in its execution promise.
    if (trx.isCompleted()) {
      await trx.executionPromise;
      throw new Error('the transaction ended before it began');
    }
    // The transaction's knex reports each statement just before sending it, COMMIT included.
    trx.on('query', (query: { sql?: unknown }) => {
      if (typeof query.sql === 'string' && /^\s*COMMIT\b/i.test(query.sql)) progress.phase = 'committing';
    });
    if (progress.expired) throw new DeadlineError('the deadline passed before the transaction began');
    if (plan.source === 'caller') {
      // One round trip sets the limit for this transaction only and tells which backend runs it.
      const rows: Array<{ pid: number }> = await tx.execute(
        `select set_config('statement_timeout', ?, true), pg_backend_pid() as pid`,
        [`${Math.max(1, Math.round(plan.limitMs))}ms`],
      );
      progress.pid = rows[0]?.pid;
    }
    const result = await fn(tx as EntityManager);
    // The caller was told the unit timed out and was cancelled: it must not commit after all.
    // Checked and left in one synchronous step, so a deadline passing later finds `finishing`.
    if (progress.expired) throw new DeadlineError('the deadline passed before COMMIT');
    progress.phase = 'finishing';
    return result;
  });
}

/** SQLSTATEs a server sends as it drops the session: the reply to COMMIT may never have been sent. */
const SESSION_ENDING = /^(57P0[1-3]|08...)$/;

/**
 * True when the server itself answered with an error and kept the session: in reply to COMMIT,
 * that means the transaction was rolled back (a deferred constraint, a serialization failure).
 */
function isServerRejection(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !SESSION_ENDING.test(code);
}

function judgeFailure(error: unknown, progress: Progress, plan: UnitPlan): unknown {
  if (error instanceof DeadlineError) {
    // Past `work` nothing can stop the COMMIT any more: whether it lands is unknown.
    return progress.phase === 'work'
      ? new OperationTimeoutError(plan.limitMs, plan.source, { cause: error })
      : new CommitOutcomeUnknownError({ cause: error });
  }
  if (progress.phase === 'committing' && !isServerRejection(error)) return new CommitOutcomeUnknownError({ cause: error });
  if (isQueryCanceled(error)) return new OperationTimeoutError(plan.limitMs, plan.source, { cause: error });
  return error;
}

class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

/** Rejects with DeadlineError after `ms` unless `work` settles first; `onExpire` runs on expiry. */
async function raceDeadline<T>(work: Promise<T>, ms: number, onExpire: () => Promise<void>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onExpire().catch(() => undefined);
      reject(new DeadlineError(`no answer within ${ms} ms`));
    }, ms);
  });
  // If the deadline wins, the abandoned work may still reject later: never leave that unhandled.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
