/**
 * The parts of a user's MikroORM (6.x or 7.x) that perf-gate calls, typed structurally: the
 * user's packages are loaded at run time from their project (project-modules.ts), never imported
 * from perf-gate's own dependencies.
 */

/** A user's MikroORM options object (whatever their config returns). */
export type OrmOptions = Record<string, unknown> & { pool?: unknown; baseDir?: string; driverOptions?: unknown; migrations?: unknown };

/** The EntityManager calls perf-gate makes itself. */
export interface UserEntityManager {
  readonly name: string;
  fork(options?: object): UserEntityManager;
  clear(): void;
  transactional<T>(fn: (em: UserEntityManager) => Promise<T>): Promise<T>;
  execute<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
  flush(): Promise<void>;
  getConnection(): unknown;
}

/** The migrator calls perf-gate makes (MikroORM 6 names; 7 renamed the first two getPending / getExecuted). */
export interface UserMigrator {
  getPendingMigrations?(): Promise<unknown[]>;
  getExecutedMigrations?(): Promise<unknown[]>;
  getPending?(): Promise<unknown[]>;
  getExecuted?(): Promise<unknown[]>;
  up(): Promise<Array<{ name: string }>>;
}

/** A user's initialised MikroORM instance. */
export interface UserOrm {
  em: UserEntityManager;
  readonly migrator: UserMigrator;
  readonly schema: object;
  close(force?: boolean): Promise<void>;
}

/** What perf-gate takes from the user's @mikro-orm packages. */
export interface ProjectModules {
  /** `MikroORM` of the user's driver package (@mikro-orm/postgresql). */
  MikroORM: { init(options: OrmOptions): Promise<UserOrm> };
  /** `RequestContext` of the user's @mikro-orm/core. */
  RequestContext: {
    create<T>(em: UserEntityManager, next: () => T): T;
    getEntityManager(name?: string): UserEntityManager | undefined;
  };
  /** The installed @mikro-orm/core version (6.x or 7.x). */
  version: string;
}
