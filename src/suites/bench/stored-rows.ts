/**
 * Counts of what benchmarks stored, read back after the benchmark (not timed) so a scenario can
 * check that its calls really wrote their rows and audit rows.
 */
import type { Check } from '../../results/types.js';
import { check } from '../scenario.js';
import type { DataLayerUnderTest } from '../subject.js';
import { uuidArray } from './bench-users.js';

/** Which users of a list to count. */
export type UserState = 'live' | 'deleted' | 'any';

const USER_STATE_SQL: Record<UserState, string> = {
  live: 'and deleted_at is null',
  deleted: 'and deleted_at is not null',
  any: '',
};

/** Runs a `select count(*) as n ...` and returns n. */
export async function countRows(db: DataLayerUnderTest, sql: string, params: unknown[]): Promise<number> {
  const rows: Array<{ n: string | number }> = await db.read((s) => s.em.execute(sql, params));
  return Number(rows[0]?.n ?? 0);
}

/** How many of these users exist in the given state (soft-deleted rows included for 'any'). */
export function countUsers(db: DataLayerUnderTest, ids: readonly string[], state: UserState): Promise<number> {
  return countRows(db, `select count(*) as n from users where id = any(?::uuid[]) ${USER_STATE_SQL[state]}`, [uuidArray(ids)]);
}

/** How many audit rows with one of `actions` exist for these rows of `entityName`. */
export function countAuditRows(db: DataLayerUnderTest, entityName: string, ids: readonly string[], actions: readonly string[]): Promise<number> {
  return countRows(
    db,
    `select count(*) as n from audit_logs where entity_name = ? and entity_id = any(?::uuid[]) and action = any(?::text[])`,
    [entityName, uuidArray(ids), `{${actions.join(',')}}`],
  );
}

/** A check that a count read back equals the count the calls should have stored. */
export function storedCheck(name: string, stored: number, expected: number): Check {
  return check(name, stored === expected, stored, `= ${expected}`);
}
