import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, PostgreSqlDriver, type Options } from '@mikro-orm/postgresql';
import { MIGRATIONS } from '../../migrations/index.js';
import { ENTITIES } from './entities/index.js';
import type { DbSettings } from './settings.js';

const ignore = (): void => undefined;

/** Tag of every connection the data layer opens, visible in pg_stat_activity. */
export const APPLICATION_NAME = 'perf-gate';

/**
 * The ORM configuration. Everything is listed statically (entities, migrations) so the bundle
 * needs no file-system discovery, and baseDir is this file's folder so a user's workspace
 * (its package.json, .env, MIKRO_ORM_* files) does not change the configuration.
 */
export function buildOrmOptions(settings: DbSettings, applicationName = APPLICATION_NAME): Options {
  const { pool } = settings;
  const acquireMs = Math.round(pool.timeoutSeconds * 1000);
  return {
    driver: PostgreSqlDriver,
    clientUrl: settings.url,
    entities: ENTITIES,
    baseDir: dirname(fileURLToPath(import.meta.url)),
    discovery: { requireEntitiesArray: true, disableDynamicFileAccess: true },
    metadataCache: { enabled: false },
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    ensureDatabase: false,
    allowGlobalContext: false,
    debug: false,
    pool: {
      min: pool.size,
      max: pool.size + pool.maxOverflow,
      acquireTimeoutMillis: acquireMs,
      idleTimeoutMillis: Math.round(pool.idleTimeoutSeconds * 1000),
      reapIntervalMillis: 500,
    },
    driverOptions: {
      // knex would print a broken idle connection ("Connection Error: ECONNRESET") to stdout; the
      // pool discards such a connection and callers get typed errors, so its own log stays quiet.
      log: { warn: ignore, error: ignore, deprecate: ignore, debug: ignore },
      // knex uses the smaller of this and pool.acquireTimeoutMillis: keep them equal.
      acquireConnectionTimeout: acquireMs,
      connection: {
        application_name: applicationName,
        keepAlive: true,
        connectionTimeoutMillis: acquireMs,
        // Sent with the startup message, so every statement has DATABASE_OPERATION_TIMEOUT as its
        // server-side limit at no cost per query; a caller's own limit is set on its transaction.
        statement_timeout: Math.max(1, Math.round(settings.operationTimeoutSeconds * 1000)),
      },
    },
  };
}

/** Opens the ORM (no connection is made until the first query). */
export async function openOrm(settings: DbSettings, applicationName?: string): Promise<MikroORM> {
  // MikroORM.init compares versions with the workspace's package.json, which in a user's repository
  // may name other @mikro-orm versions; the bundle brings its own. MikroORM reads this switch from
  // the environment only (no option), so this is the one place below the entries that touches it:
  // it writes a variable for the library rather than reading a setting.
  // eslint-disable-next-line no-restricted-properties
  process.env.MIKRO_ORM_ALLOW_VERSION_MISMATCH ??= 'true';
  return MikroORM.init(buildOrmOptions(settings, applicationName));
}
