/**
 * The server's own view of a data layer's connections (pg_stat_activity), next to what the pool
 * reports about itself: a connection the pool lost track of is still counted here.
 */
import type { DataLayer } from '../../db/data-layer.js';
import type { Check } from '../../results/types.js';
import { check } from '../scenario.js';

/** How often the server's count is read while waiting for overflow connections to close, ms. */
const POLL_MS = 200;
/** Past the idle timeout: the pool's reaper runs every 500 ms and a closed backend leaves pg_stat_activity a moment later. */
const REAP_ALLOWANCE_MS = 1000;
/** Extra wait for a busy machine (late timers, slow backend exits); a healthy pool never uses it. */
const BUSY_MACHINE_GRACE_MS = 5000;

/**
 * Backend pids of the connections to this run's database (each run has a database of its own)
 * with the data layer's application name ('perf-gate'): the calibration, the reference probe and
 * the watchdog connect under other names and are not counted. Asked through `db` itself, whose
 * connection for the question is one of those counted.
 */
export async function listServerPids(db: DataLayer): Promise<number[]> {
  const rows: Array<{ pid: number }> = await db.withSession((s) =>
    s.em.execute(
      `select pid from pg_stat_activity where application_name = current_setting('application_name') and datname = current_database()`,
    ),
  );
  return rows.map((row) => row.pid);
}

/** The longest a pool may take to close its idle overflow connections, ms: its idle timeout, the reaper's interval and a grace. */
export function overflowCloseBudgetMs(db: DataLayer): number {
  return db.settings.pool.idleTimeoutSeconds * 1000 + REAP_ALLOWANCE_MS + BUSY_MACHINE_GRACE_MS;
}

/**
 * Reads the server's count of `db`'s connections until it is at most `allowed`, for at most
 * overflowCloseBudgetMs: overflow connections close only once idle for DATABASE_POOL_IDLE_TIMEOUT,
 * so a single reading right after a load would fail a healthy pool. Returns the last count.
 */
export async function waitForServerConnections(db: DataLayer, allowed: number): Promise<number> {
  const until = performance.now() + overflowCloseBudgetMs(db);
  let count = (await listServerPids(db)).length;
  while (count > allowed && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    count = (await listServerPids(db)).length;
  }
  return count;
}

/**
 * "Back to where it started": after a load, the server counts no more of the data layer's
 * connections than before it, except the pool's persistent connections (DATABASE_POOL_SIZE, the
 * pool's minimum, which it keeps open by design) that were not open yet. So every overflow
 * connection opened under the load is closed, and no connection outlives the pool's knowledge of
 * it. Measured: the count after minus the count before.
 */
export function connectionsReleasedCheck(before: number, after: number, poolSize: number): Check {
  const mayStay = Math.max(0, poolSize - before);
  return check(
    'connections_released',
    after - before <= mayStay,
    after - before,
    `<= ${mayStay} more on the server than the ${before} before the load (only the pool's ${poolSize} persistent connections may stay)`,
  );
}
