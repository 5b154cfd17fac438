import pg from 'pg';

/** How long terminating stuck backends may take before the runner stops waiting, ms. */
const TERMINATE_TIMEOUT_MS = 5000;

/**
 * Terminates server backends by pid (pg_terminate_backend) from a short-lived connection of its
 * own, so it works when every pooled connection is stuck. The server then closes those
 * connections, so the queries waiting on them reject and their pools can be closed. Best effort:
 * returns how many backends were terminated, 0 when the server could not be asked.
 */
export async function terminateBackendsByPid(url: string, pids: readonly number[]): Promise<number> {
  if (pids.length === 0) return 0;
  const client = new pg.Client({
    connectionString: url,
    application_name: 'perf-gate-watchdog',
    connectionTimeoutMillis: TERMINATE_TIMEOUT_MS,
    query_timeout: TERMINATE_TIMEOUT_MS,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ ok: boolean }>(
      'select pg_terminate_backend(pid) as ok from pg_stat_activity where pid = any($1::int[])',
      [[...pids]],
    );
    return rows.filter((row) => row.ok).length;
  } catch {
    return 0;
  } finally {
    await client.end().catch(() => undefined);
  }
}
