import type { EntityManager } from '@mikro-orm/postgresql';

/** The backend pid serving this session's connection now. */
export async function backendPid(em: EntityManager): Promise<number> {
  const rows: Array<{ pid: number }> = await em.execute('select pg_backend_pid() as pid');
  const pid = rows[0]?.pid;
  if (typeof pid !== 'number') throw new Error('pg_backend_pid() returned no row');
  return pid;
}
