import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { prepareCaptureSession, type CaptureSession } from '../../src/cost/capture-session.js';
import { prepareScratchTables } from '../../src/cost/scratch-tables.js';
import { withDatabaseName, type ScratchDatabase } from '../../src/db/scratch-database.js';
import { createTestDatabase, serverUrl } from '../support/database.js';

/** Users and posts, three per user, ids and emails from the row number (no random keys). */
export const SEEDED_TABLES = ['users', 'posts'] as const;
export const USER_COUNT = 2000;

async function runOn(url: string, work: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A database seeded with SEEDED_TABLES, vacuumed and analyzed with autovacuum off: the template
 * each measurement clones, as the cost pass clones one per (commit, scenario), so that writes of
 * one measurement never change the data the next one starts from.
 */
export async function createSeededTemplate(): Promise<ScratchDatabase> {
  const database = await createTestDatabase();
  await runOn(database.url, async (admin) => {
    await admin.query('create table users (id int primary key, email text not null, name text not null)');
    await admin.query('create unique index users_email_idx on users (email)');
    await admin.query('create table posts (id int primary key, user_id int not null references users (id), title text not null)');
    await admin.query('create index posts_user_id_idx on posts (user_id)');
    await admin.query(`insert into users select g, 'user' || g || '@example.com', 'name ' || g from generate_series(1, ${USER_COUNT}) g`);
    await admin.query(`insert into posts select g, (g - 1) / 3 + 1, 'post ' || g from generate_series(1, ${USER_COUNT * 3}) g`);
    await prepareScratchTables((sql) => admin.query(sql).then((r) => r.rows), SEEDED_TABLES);
  });
  return database;
}

/** A copy of `template` (CREATE DATABASE ... TEMPLATE), dropped by `drop()`. */
export async function cloneDatabase(template: ScratchDatabase): Promise<ScratchDatabase> {
  const name = `${template.name}_c${randomBytes(3).toString('hex')}`;
  await runOn(serverUrl(), (admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template.name}"`).then(() => undefined));
  return {
    name,
    url: withDatabaseName(serverUrl(), name),
    drop: () => runOn(serverUrl(), (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => undefined)),
  };
}

/** A pool of one connection, as the cost pass uses, with its session prepared for capture. */
export interface CapturePool {
  readonly pool: pg.Pool;
  readonly session: CaptureSession;
  /** Runs SQL with parameters on the pool's connection (captured only inside a window). */
  run(sql: string, values?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  end(): Promise<void>;
}

/** Opens a pool of one connection on `url` and prepares its session; `user`/`password` replace the URL's. */
export async function openCapturePool(url: string): Promise<CapturePool> {
  // idleTimeoutMillis 0: the one connection is never closed, so its session settings stay.
  const pool = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 0 });
  // pool.end() resolves before its clients' connections have closed; a DROP DATABASE ... WITH (FORCE)
  // right after it terminated a backend still closing, and pg raised that as an uncaught error.
  const closed: Promise<void>[] = [];
  pool.on('connect', (client) => void closed.push(new Promise((resolve) => client.once('end', () => resolve()))));
  const end = async () => {
    await pool.end();
    await Promise.all(closed);
  };
  const run = async (sql: string, values?: readonly unknown[]) =>
    (await pool.query(sql, values as unknown[] | undefined)).rows as Record<string, unknown>[];
  try {
    const session = await prepareCaptureSession(run);
    return { pool, session, run, end };
  } catch (error) {
    await end();
    throw error;
  }
}
