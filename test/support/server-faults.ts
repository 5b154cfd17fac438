import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Server-side fault injection for the data layer's own tests: a function that raises a real
 * PostgreSQL error with the SQLSTATE it is given, so an injected failure travels the whole real
 * path (server -> protocol -> driver -> ORM -> resilience). Which calls fail is decided by the
 * caller's seeded random source, so a run can be reproduced.
 */
export const RAISE_FUNCTION_SQL = `
create or replace function perf_gate_raise(sqlstate text, message text default 'injected transient failure')
returns integer language plpgsql as $$
begin
  raise exception using errcode = sqlstate, message = message;
end $$;`;

/** Installs the fault functions in the current database (idempotent). */
export async function installServerFaults(em: EntityManager): Promise<void> {
  await em.execute(RAISE_FUNCTION_SQL);
}

/** Runs one statement that fails on the server with `sqlstate` (e.g. 40001, 57P01, 08006). */
export async function raiseOnServer(em: EntityManager, sqlstate: string): Promise<never> {
  await em.execute('select perf_gate_raise(?)', [sqlstate]);
  throw new Error(`perf_gate_raise('${sqlstate}') returned instead of raising`);
}

/** Terminates every other backend of this database whose current query contains `marker`; returns how many. */
export async function terminateQueriesMarked(em: EntityManager, marker: string): Promise<number> {
  const rows: Array<{ ok: boolean }> = await em.execute(
    `select pg_terminate_backend(pid) as ok from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and query like ? and query not like '%pg_terminate_backend%'`,
    [`%${marker}%`],
  );
  return rows.filter((row) => row.ok).length;
}
