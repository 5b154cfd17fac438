/**
 * Reads a user's connection pool without a query: knex's tarn pool in MikroORM 6 (the reader the
 * gate's own layer uses), node-pg's Pool in MikroORM 7.
 */
import { readPoolStats, type PoolStats } from '../db/pool-stats.js';
import type { UserOrm } from './project-types.js';

interface PgPoolClient {
  processID?: number | null;
}

/** node-pg's Pool, as far as its statistics go (`_clients` and `_idle` are its own lists). */
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { min?: number; max?: number };
  _clients?: PgPoolClient[];
  _idle?: Array<{ client?: PgPoolClient } | PgPoolClient>;
}

function hasKnex(orm: UserOrm): boolean {
  const connection = orm.em.getConnection() as { getKnex?: unknown };
  return typeof connection.getKnex === 'function';
}

const looksLikePool = (value: unknown): value is PgPool =>
  typeof value === 'object' && value !== null && 'totalCount' in value && 'idleCount' in value && 'waitingCount' in value;

/**
 * The node-pg Pool behind a MikroORM 7 connection (`getNativeClient()`, which creates it: MikroORM 7
 * connects lazily); undefined for MikroORM 6, whose knex pool is read directly.
 */
export async function findNativePool(orm: UserOrm): Promise<unknown> {
  if (hasKnex(orm)) return undefined;
  const connection = orm.em.getConnection() as { getNativeClient?: () => unknown };
  const native = typeof connection.getNativeClient === 'function' ? await connection.getNativeClient() : undefined;
  return looksLikePool(native) ? native : undefined;
}

function readPgPool(pool: PgPool | undefined, limits: { min: number; max: number }): PoolStats {
  if (!pool) return { size: 0, inUse: 0, idle: 0, waiting: 0, creating: 0, ...limits, pids: [], busyPids: [] };
  const idleClients = (pool._idle ?? []).map((entry) => ('client' in entry && entry.client ? entry.client : (entry as PgPoolClient)));
  const all = pool._clients ?? [];
  const pidOf = (client: PgPoolClient): number | undefined => (typeof client.processID === 'number' ? client.processID : undefined);
  const busy = all.filter((client) => !idleClients.includes(client));
  const pids = all.map(pidOf).filter((pid): pid is number => pid !== undefined);
  return {
    size: pool.totalCount,
    inUse: pool.totalCount - pool.idleCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
    creating: Math.max(0, all.length - pids.length),
    min: pool.options.min ?? limits.min,
    max: pool.options.max ?? limits.max,
    pids,
    busyPids: busy.map(pidOf).filter((pid): pid is number => pid !== undefined),
  };
}

/** The pool of a user's ORM at this moment (`native`: what findNativePool found). */
export function readProjectPool(orm: UserOrm, limits: { min: number; max: number }, native: unknown): PoolStats {
  if (hasKnex(orm)) return readPoolStats(orm as unknown as Parameters<typeof readPoolStats>[0], limits);
  return readPgPool(looksLikePool(native) ? native : undefined, limits);
}
