import type { MikroORM } from '@mikro-orm/postgresql';

/** The pool at one moment. */
export interface PoolStats {
  /** Open connections (in use + idle). */
  size: number;
  inUse: number;
  idle: number;
  /** Acquires waiting for a connection. */
  waiting: number;
  /** Connections being opened. */
  creating: number;
  min: number;
  max: number;
  /** pg_backend_pid() of every open connection. */
  pids: number[];
  /** pg_backend_pid() of the connections in use (checked out by a session). */
  busyPids: number[];
}

interface TarnResource {
  resource: { processID?: number | null };
}

interface TarnPool {
  min: number;
  max: number;
  used: TarnResource[];
  free: TarnResource[];
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
}

function tarnPool(orm: MikroORM): TarnPool | undefined {
  const client = orm.em.getConnection().getKnex().client as { pool?: TarnPool };
  return client.pool;
}

/**
 * Reads knex's tarn pool (it exists after the first connection; before that the pool is empty).
 * The backend pid comes from each pg client's BackendKeyData, so reading it makes no query.
 */
export function readPoolStats(orm: MikroORM, limits: { min: number; max: number }): PoolStats {
  const pool = tarnPool(orm);
  if (!pool) return { size: 0, inUse: 0, idle: 0, waiting: 0, creating: 0, ...limits, pids: [], busyPids: [] };
  const pidsOf = (entries: TarnResource[]): number[] =>
    entries.map((entry) => entry.resource.processID).filter((pid): pid is number => typeof pid === 'number');
  const busyPids = pidsOf(pool.used);
  return {
    size: pool.numUsed() + pool.numFree(),
    inUse: pool.numUsed(),
    idle: pool.numFree(),
    waiting: pool.numPendingAcquires(),
    creating: pool.numPendingCreates(),
    min: pool.min,
    max: pool.max,
    pids: [...busyPids, ...pidsOf(pool.free)],
    busyPids,
  };
}
