/**
 * The server's own view of a data layer's connections (pg_stat_activity), next to what the pool
 * reports about itself: a connection the pool lost track of is still counted here.
 */
import type { Check } from '../../results/types.js';
import { check } from '../scenario.js';
import type { DataLayerUnderTest } from '../subject.js';

/** How often the server's count is read while waiting for closed connections to leave it, ms. */
const POLL_MS = 50;
/**
 * How long a closed connection may stay in pg_stat_activity: its backend exits a moment after the
 * client hangs up (milliseconds on a quiet machine); the rest is room for a busy one.
 */
const BACKEND_EXIT_BUDGET_MS = 5000;

/**
 * Backend pids of the connections to this run's database (each run has a database of its own)
 * with the data layer's application name ('perf-gate'): the calibration, the reference probe and
 * the watchdog connect under other names and are not counted. Asked through `db` itself, whose
 * connection for the question is one of those counted.
 */
export async function listServerPids(db: DataLayerUnderTest): Promise<number[]> {
  const rows: Array<{ pid: number }> = await db.withSession((s) =>
    s.em.execute(
      `select pid from pg_stat_activity where application_name = current_setting('application_name') and datname = current_database()`,
    ),
  );
  return rows.map((row) => row.pid);
}

/**
 * Reads the server's count of `db`'s connections until it is at most `allowed`, for at most
 * BACKEND_EXIT_BUDGET_MS: a backend leaves pg_stat_activity shortly after its client closed the
 * connection, so a single reading right after a pool's close could count one that is on its way
 * out. Returns the last count.
 */
export async function waitForServerConnections(db: DataLayerUnderTest, allowed: number): Promise<number> {
  const until = performance.now() + BACKEND_EXIT_BUDGET_MS;
  let count = (await listServerPids(db)).length;
  while (count > allowed && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    count = (await listServerPids(db)).length;
  }
  return count;
}

/**
 * "Back to where it started": once the scenario's pool is closed, the server counts no more of the
 * run's data-layer connections than before the pool opened. Measured: the count after minus the
 * count before (0 or less on a healthy pool; the gate's own idle pool may have shrunk meanwhile).
 */
export function connectionsReleasedCheck(before: number, after: number): Check {
  return check(
    'connections_released',
    after <= before,
    after - before,
    `<= 0 more on the server than the ${before} before the pool opened, once it is closed`,
  );
}
