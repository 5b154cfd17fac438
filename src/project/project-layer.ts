/**
 * A user's MikroORM data layer as the suites' data layer under test (suites/subject.ts): their ORM
 * from their config, on the run's scratch database, every call in a fresh fork that is also the
 * call's RequestContext (so services holding the global `orm.em` use it), counted by the session
 * tracker. perf-gate adds no retry, breaker or time limit of its own: what the user's code does on
 * a failure is what is measured.
 */
import { PoolTimeoutError, isAcquireTimeout } from '../db/errors.js';
import type { PoolStats } from '../db/pool-stats.js';
import type { BreakerState, ResilienceStats } from '../db/resilience/policy.js';
import { SessionTracker } from '../db/session-tracker.js';
import type { DbSettings, DbTuning } from '../db/settings.js';
import type { DataLayerUnderTest, ResilienceRecord, Session, SessionOptions } from '../suites/subject.js';
import { findNativePool, readProjectPool } from './project-pool.js';
import type { OrmOptions, ProjectModules, UserEntityManager, UserOrm } from './project-types.js';

/** A user's data layer has no breaker of perf-gate's: the record stays closed and empty. */
const NO_RESILIENCE: ResilienceRecord = Object.freeze({
  breakerState: 'closed' as BreakerState,
  snapshot: (): ResilienceStats => ({ attempts: 0, retries: 0, delays: [], breakerState: 'closed', transitions: [], rejectedByBreaker: 0 }),
});

/**
 * The pool the user's config asks for, as the gate's pool settings, with their driver's defaults
 * where it says nothing (MikroORM 6's knex pool: min 2, max 10; MikroORM 7's node-pg pool: min 0,
 * max 10; an acquire timeout of 60 s, which node-pg lacks: it would wait forever).
 */
export function tuningFromOptions(options: OrmOptions, base: DbTuning, version: string): DbTuning {
  const pool = (options.pool ?? {}) as { min?: number; max?: number; acquireTimeoutMillis?: number; idleTimeoutMillis?: number };
  const driver = (options.driverOptions ?? {}) as { connectionTimeoutMillis?: number; acquireConnectionTimeout?: number };
  const size = pool.min ?? (version.startsWith('6.') ? 2 : 0);
  const max = Math.max(size, pool.max ?? 10);
  return {
    ...base,
    pool: {
      size,
      maxOverflow: max - size,
      timeoutSeconds: (pool.acquireTimeoutMillis ?? driver.acquireConnectionTimeout ?? driver.connectionTimeoutMillis ?? 60_000) / 1000,
      idleTimeoutSeconds: (pool.idleTimeoutMillis ?? 30_000) / 1000,
    },
    retry: { ...base.retry, maxRetries: 0 },
  };
}

/** The user's options with the connection (and pool) replaced by the run's: nothing else changes. */
export function connectOptions(options: OrmOptions, settings: DbSettings, source: Pick<ProjectSource, 'typescript' | 'projectDir' | 'modules'>): OrmOptions {
  const url = new URL(settings.url);
  const { pool } = settings;
  const knex = source.modules.version.startsWith('6.');
  const acquireMs = Math.round(pool.timeoutSeconds * 1000);
  const { typescript, projectDir: baseDir } = source;
  return {
    ...options,
    clientUrl: undefined,
    host: decodeURIComponent(url.hostname),
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    dbName: decodeURIComponent(url.pathname.replace(/^\//, '')),
    baseDir: options.baseDir ?? baseDir,
    ...(typescript ? { preferTs: true } : {}),
    debug: false,
    ensureDatabase: false,
    // A migration run would write `.snapshot-<scratch database>.json` into the user's migrations folder.
    migrations: { ...(options.migrations as object | undefined), snapshot: false },
    pool: {
      ...(options.pool as object | undefined),
      min: pool.size,
      max: pool.size + pool.maxOverflow,
      ...(knex ? { acquireTimeoutMillis: acquireMs } : {}),
      idleTimeoutMillis: Math.round(pool.idleTimeoutSeconds * 1000),
    },
    // MikroORM 7's pool (node-pg) waits for a connection for driverOptions.connectionTimeoutMillis, forever without it.
    ...(knex ? {} : { driverOptions: { ...(options.driverOptions as object | undefined), connectionTimeoutMillis: acquireMs } }),
  };
}

/**
 * The MIKRO_ORM_* variables that choose a connection. MikroORM 6's `init` merges them (and a
 * `.env` file's) over the options it is given, so one set in a user's CI would point perf-gate at
 * their own database: they are set aside while the ORM initialises, and `.env` is not read then.
 */
const CONNECTION_VARIABLES = ['MIKRO_ORM_CLIENT_URL', 'MIKRO_ORM_HOST', 'MIKRO_ORM_PORT', 'MIKRO_ORM_USER', 'MIKRO_ORM_PASSWORD', 'MIKRO_ORM_DB_NAME', 'MIKRO_ORM_SCHEMA'];

async function withoutConnectionVariables<T>(init: () => Promise<T>): Promise<T> {
  // This writes the environment for a library (as db/orm.ts does); it reads no setting from it.
  // eslint-disable-next-line no-restricted-properties
  const env = process.env;
  const saved = Object.fromEntries([...CONNECTION_VARIABLES, 'MIKRO_ORM_ENV'].map((name) => [name, env[name]]));
  for (const name of CONNECTION_VARIABLES) delete env[name];
  env.MIKRO_ORM_ENV = '/dev/null';
  try {
    return await init();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
  }
}

/** What a ProjectLayer is opened from: the user's modules and options, and how they were loaded. */
export interface ProjectSource {
  projectDir: string;
  modules: ProjectModules;
  options: OrmOptions;
  /** The config was TypeScript: MikroORM should read `entitiesTs` and migrations' `pathTs`. */
  typescript: boolean;
}

export class ProjectLayer implements DataLayerUnderTest {
  readonly sessions = new SessionTracker();
  readonly resilience = NO_RESILIENCE;

  private constructor(
    readonly orm: UserOrm,
    readonly settings: DbSettings,
    private readonly source: ProjectSource,
    private readonly nativePool: unknown,
  ) {}

  static async open(source: ProjectSource, settings: DbSettings): Promise<ProjectLayer> {
    const options = connectOptions(source.options, settings, source);
    const orm = await withoutConnectionVariables(() => source.modules.MikroORM.init(options));
    return new ProjectLayer(orm, settings, source, await findNativePool(orm));
  }

  /**
   * Runs `fn` in a fresh fork that is the call's RequestContext (and, when transactional, inside
   * `em.transactional`), and always ends it (cleared, counted closed).
   */
  async withSession<T>(fn: (session: Session) => Promise<T>, options: SessionOptions = {}): Promise<T> {
    const { RequestContext } = this.source.modules;
    const root = this.orm.em;
    return RequestContext.create(root, async () => {
      const em = RequestContext.getEntityManager(root.name) ?? root.fork();
      const handle = this.sessions.track(em);
      try {
        if (options.transactional || options.timeoutMs !== undefined) {
          return await em.transactional((inner: UserEntityManager) => fn({ em: inner } as unknown as Session));
        }
        return await fn({ em } as unknown as Session);
      } catch (error) {
        throw this.translateFailure(error);
      } finally {
        em.clear();
        handle.close();
      }
    }) as Promise<T>;
  }

  read<T>(fn: (session: Session) => Promise<T>): Promise<T> {
    return this.withSession(fn);
  }

  write<T>(fn: (session: Session) => Promise<T>): Promise<T> {
    return this.withSession(fn, { transactional: true });
  }

  /** An acquire timeout while every connection is in use is an exhausted pool (as the gate's own layer types it). */
  private translateFailure(error: unknown): unknown {
    if (!isAcquireTimeout(error) && !/timeout exceeded when trying to connect/i.test(String((error as Error | undefined)?.message))) return error;
    const { inUse, max } = this.poolStats();
    return inUse >= max ? new PoolTimeoutError(this.settings.pool.timeoutSeconds, max, { cause: error }) : error;
  }

  poolStats(): PoolStats {
    const { size, maxOverflow } = this.settings.pool;
    return readProjectPool(this.orm, { min: size, max: size + maxOverflow }, this.nativePool);
  }

  /**
   * Applies the project's migrations; a project without migrations gets its schema from the
   * entities (MikroORM's schema generator) instead. Returns what was applied.
   */
  async migrate(): Promise<string[]> {
    const migrator = this.orm.migrator;
    // MikroORM 7 names them getPending() / getExecuted().
    const pending = await (migrator.getPending ?? migrator.getPendingMigrations)!.call(migrator);
    const executed = await (migrator.getExecuted ?? migrator.getExecutedMigrations)!.call(migrator);
    const known = [...pending, ...executed];
    if (known.length === 0) {
      // MikroORM 7 renamed createSchema() to create().
      const schema = this.orm.schema as { createSchema?: () => Promise<void>; create?: () => Promise<void> };
      await (schema.create ?? schema.createSchema)!.call(schema);
      return ['(no migrations: schema created from the entities)'];
    }
    const applied = await migrator.up();
    return applied.map((migration) => migration.name);
  }

  async close(): Promise<void> {
    await this.orm.close(true);
  }
}
