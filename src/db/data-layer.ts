import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { DbSettings } from '../config/db-settings.js';
import { Resilience } from '../resilience/policy.js';
import { ApiKey, AuditLog, User } from './entities/index.js';
import { isQueryCanceled, OperationTimeoutError, translateError } from './errors.js';
import { openOrm } from './orm.js';
import { readPoolStats, type PoolStats } from './pool-stats.js';
import type { ApiKeyRepository } from './repositories/api-key-repository.js';
import type { AuditLogRepository } from './repositories/audit-log-repository.js';
import type { UserRepository } from './repositories/user-repository.js';
import { SessionTracker } from './session-tracker.js';

/** What a unit of work sees: its own EntityManager and the repositories bound to it. */
export interface Session {
  em: EntityManager;
  users: UserRepository;
  apiKeys: ApiKeyRepository;
  audit: AuditLogRepository;
}

export interface SessionOptions {
  /** Run the whole function in one transaction (committed at the end, rolled back on error). */
  transactional?: boolean;
  /** Time limit in ms; enforced by the server (statement_timeout) and by a client-side deadline. */
  timeoutMs?: number;
}

/** Extra time the client waits past the limit for the server's own cancellation to arrive. */
const CLIENT_GRACE_MS = 1000;

/** Repositories are made on first use: most units of work touch one of them. */
function bindSession(em: EntityManager): Session {
  return {
    em,
    get users() {
      return em.getRepository(User) as unknown as UserRepository;
    },
    get apiKeys() {
      return em.getRepository(ApiKey) as unknown as ApiKeyRepository;
    },
    get audit() {
      return em.getRepository(AuditLog) as unknown as AuditLogRepository;
    },
  };
}

/**
 * The data layer: the ORM with its pool, sessions with a guaranteed end, and the resilience
 * policies (retry with backoff inside nothing, circuit breaker, timeouts) around units of work.
 */
export class DataLayer {
  readonly sessions = new SessionTracker();
  readonly resilience: Resilience;

  private constructor(
    readonly orm: MikroORM,
    readonly settings: DbSettings,
  ) {
    this.resilience = new Resilience(settings.retry, settings.breaker);
  }

  static async open(settings: DbSettings, applicationName?: string): Promise<DataLayer> {
    return new DataLayer(await openOrm(settings, applicationName), settings);
  }

  /** Applies pending migrations; returns the names applied. */
  async migrate(): Promise<string[]> {
    const applied = await this.orm.getMigrator().up();
    return applied.map((migration) => migration.name);
  }

  /**
   * Runs `fn` in a fresh session (a forked EntityManager) and always ends it: on success, on error
   * (the transaction, if any, is rolled back) and on timeout.
   */
  async withSession<T>(fn: (session: Session) => Promise<T>, options: SessionOptions = {}): Promise<T> {
    const em = this.orm.em.fork({ clear: true, useContext: false }) as EntityManager;
    const handle = this.sessions.track(em);
    try {
      if (options.timeoutMs !== undefined) return await this.runTimed(em, fn, options.timeoutMs);
      if (options.transactional) return await em.transactional((tx) => fn(bindSession(tx as EntityManager)));
      return await fn(bindSession(em));
    } catch (error) {
      throw translateError(error);
    } finally {
      em.clear();
      handle.close();
    }
  }

  /** A read: a session without a transaction, retried on transient failures, behind the breaker. */
  read<T>(fn: (session: Session) => Promise<T>, options: Omit<SessionOptions, 'transactional'> = {}): Promise<T> {
    return this.resilience.execute(() => this.withSession(fn, options));
  }

  /** A write: one transaction, retried as a whole on transient failures, behind the breaker. */
  write<T>(fn: (session: Session) => Promise<T>, options: Omit<SessionOptions, 'transactional'> = {}): Promise<T> {
    return this.resilience.execute(() => this.withSession(fn, { ...options, transactional: true }));
  }

  poolStats(): PoolStats {
    const { size, maxOverflow } = this.settings.pool;
    return readPoolStats(this.orm, { min: size, max: size + maxOverflow });
  }

  async close(): Promise<void> {
    await this.orm.close(true);
  }

  private async runTimed<T>(em: EntityManager, fn: (session: Session) => Promise<T>, limitMs: number): Promise<T> {
    let pid: number | undefined;
    const work = em.transactional(async (tx) => {
      // One round trip sets the limit for this transaction only and tells which backend runs it.
      const rows: Array<{ pid: number }> = await tx.execute(
        `select set_config('statement_timeout', ?, true), pg_backend_pid() as pid`,
        [`${Math.max(1, Math.round(limitMs))}ms`],
      );
      pid = rows[0]?.pid;
      return fn(bindSession(tx as EntityManager));
    });
    try {
      return await raceDeadline(work, limitMs + CLIENT_GRACE_MS, () => this.cancelBackend(pid));
    } catch (error) {
      if (isQueryCanceled(error) || error instanceof DeadlineError) {
        throw new OperationTimeoutError(limitMs, { cause: error });
      }
      throw error;
    }
  }

  /** Best effort: asks the server to cancel a backend's statement from another pooled connection. */
  private async cancelBackend(pid: number | undefined): Promise<void> {
    if (pid === undefined) return;
    await this.orm.em
      .getConnection()
      .execute('select pg_cancel_backend(?)', [pid])
      .catch(() => undefined);
  }
}

class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

/** Rejects with DeadlineError after `ms` unless `work` settles first; `onExpire` runs on expiry. */
async function raceDeadline<T>(work: Promise<T>, ms: number, onExpire: () => Promise<void>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void onExpire();
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
