import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { ApiKey, AuditLog, User } from './entities/index.js';
import { isAcquireTimeout, PoolTimeoutError, translateError } from './errors.js';
import { openOrm } from './orm.js';
import { readPoolStats, type PoolStats } from './pool-stats.js';
import type { ApiKeyRepository } from './repositories/api-key-repository.js';
import type { AuditLogRepository } from './repositories/audit-log-repository.js';
import type { UserRepository } from './repositories/user-repository.js';
import { Resilience } from './resilience/policy.js';
import { SessionTracker } from './session-tracker.js';
import type { DbSettings } from './settings.js';
import { runUnitOfWork, type UnitPlan } from './unit-of-work.js';

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
  /**
   * Time limit in ms, instead of DATABASE_OPERATION_TIMEOUT; enforced by the server
   * (statement_timeout, set on the unit's transaction, which it therefore forces) and by a
   * client-side deadline.
   */
  timeoutMs?: number;
}

/** Repositories are made on first use: most units of work touch one of them. */
export function bindSession(em: EntityManager): Session {
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
   * (the transaction, if any, is rolled back) and on timeout. The unit has a time limit: the
   * caller's `timeoutMs`, else DATABASE_OPERATION_TIMEOUT (see unit-of-work.ts).
   */
  async withSession<T>(fn: (session: Session) => Promise<T>, options: SessionOptions = {}): Promise<T> {
    const em = this.orm.em.fork({ clear: true, useContext: false }) as EntityManager;
    const handle = this.sessions.track(em);
    try {
      return await runUnitOfWork(em, (unit) => fn(bindSession(unit)), this.planOf(options), (pid) => this.cancelBackend(pid));
    } catch (error) {
      throw this.translateFailure(error);
    } finally {
      em.clear();
      handle.close();
    }
  }

  /** The caller's limit (which needs a transaction to be set on), else DATABASE_OPERATION_TIMEOUT. */
  private planOf(options: SessionOptions): UnitPlan {
    if (options.timeoutMs !== undefined) return { transactional: true, limitMs: options.timeoutMs, source: 'caller' };
    const limitMs = this.settings.operationTimeoutSeconds * 1000;
    return { transactional: options.transactional ?? false, limitMs, source: 'DATABASE_OPERATION_TIMEOUT' };
  }

  /**
   * A pool acquire timeout while every connection is in use is an exhausted pool, not a failing
   * server: typed so that it is neither retried nor counted by the breaker. One while a connection
   * was still being opened is the server not answering, and stays a transient failure.
   */
  private translateFailure(error: unknown): unknown {
    if (isAcquireTimeout(error)) {
      const { inUse, max } = this.poolStats();
      if (inUse >= max) return new PoolTimeoutError(this.settings.pool.timeoutSeconds, max, { cause: error });
    }
    return translateError(error);
  }

  /** A read: a session without a transaction, retried on transient failures, behind the breaker. */
  read<T>(fn: (session: Session) => Promise<T>, options: Omit<SessionOptions, 'transactional'> = {}): Promise<T> {
    return this.resilience.execute(() => this.withSession(fn, options));
  }

  /**
   * A write: one transaction, retried as a whole on transient failures that provably left nothing
   * committed, behind the breaker. A connection lost while COMMIT was in flight fails with
   * CommitOutcomeUnknownError and is not retried.
   */
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

  /** Best effort: asks the server to cancel a backend's statement from another pooled connection. */
  private async cancelBackend(pid: number): Promise<void> {
    await this.orm.em
      .getConnection()
      .execute('select pg_cancel_backend(?)', [pid])
      .catch(() => undefined);
  }
}
