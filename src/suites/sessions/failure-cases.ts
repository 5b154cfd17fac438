/**
 * Units of work that fail in real ways after the operation under test ran in them, shared by the
 * scenarios that check cleanup after errors. They need nothing of the data layer but its
 * EntityManager and PostgreSQL: each call first writes a marker row into a scratch table of
 * perf-gate's (perf_gate_markers), so a failed transaction that was not rolled back shows as a
 * stored marker.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { OperationTimeoutError } from '../../db/errors.js';
import type { ScenarioContext } from '../scenario.js';
import type { DataLayerUnderTest } from '../subject.js';

/** Thrown by perf-gate after the operation: a plain JavaScript error inside the session. */
export class InjectedError extends Error {
  override readonly name = 'InjectedError';
}

/** What runs first in a failing unit of work: the operation under test, on the unit's EntityManager. */
export type Prelude = (em: EntityManager) => Promise<unknown>;

/** The scratch table the markers go to (created on first use, emptied of a scenario's markers after it). */
const MARKERS = 'perf_gate_markers';

/** Creates the marker table when it is missing. */
export async function ensureMarkerTable(db: DataLayerUnderTest): Promise<void> {
  await db.withSession((s) => s.em.execute(`create table if not exists ${MARKERS} (marker text primary key)`));
}

/** Writes `marker` in the unit's transaction: the row its rollback must undo. */
export function writeMarker(em: EntityManager, marker: string): Promise<unknown> {
  return em.execute(`insert into ${MARKERS} (marker) values (?)`, [marker]);
}

/** The stored markers starting with `prefix`, then deletes them (to leave the table as found). */
export async function takeMarkers(db: DataLayerUnderTest, prefix: string): Promise<Set<string>> {
  return db.withSession(async (s) => {
    const rows: Array<{ marker: string }> = await s.em.execute(`delete from ${MARKERS} where marker like ? returning marker`, [`${prefix}%`]);
    return new Set(rows.map((row) => row.marker));
  }, { transactional: true });
}

/** The SQLSTATE of an error, of its cause, or of its cause's cause (a data layer may wrap the driver's). */
export function sqlstateOf(error: unknown): string | undefined {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** One way of failing, and how to recognise its error where the caller catches it. */
export interface FailureCase {
  name: string;
  /** A unit of work (one transaction, not retried) that runs `prelude`, writes `marker`, then fails. */
  run(ctx: ScenarioContext, prelude: Prelude, marker: string): Promise<unknown>;
  raised(error: unknown): boolean;
}

/** A transaction of the scenario's data layer (never retried) running the prelude and the marker, then `fail`. */
function failingUnit(name: string, fail: (em: EntityManager, ctx: ScenarioContext, marker: string) => Promise<unknown>, raised: FailureCase['raised']): FailureCase {
  return {
    name,
    run: (ctx, prelude, marker) =>
      ctx.db.withSession(async (s) => {
        await prelude(s.em);
        await writeMarker(s.em, marker);
        await fail(s.em, ctx, marker);
      }, { transactional: true }),
    raised,
  };
}

/** A JavaScript error thrown inside the transaction. */
export const JS_ERROR = failingUnit(
  'js_error',
  () => Promise.reject(new InjectedError('failed inside the session')),
  (error) => error instanceof InjectedError,
);

/** The marker written a second time: PostgreSQL's 23505. */
export const UNIQUE_VIOLATION = failingUnit('unique_violation', (em, _ctx, marker) => writeMarker(em, marker), (error) => sqlstateOf(error) === '23505');

/** A statement PostgreSQL cannot parse (42601). */
export const SYNTAX_ERROR = failingUnit('syntax_error', (em) => em.execute('selec 1'), (error) => sqlstateOf(error) === '42601');

/**
 * A statement outliving the transaction's statement_timeout (ctx.options.operationTimeoutMs):
 * cancelled by the server (57014; perf-gate's own layer reports it as OperationTimeoutError).
 */
export const TIMEOUT = failingUnit(
  'timeout',
  async (em, ctx) => {
    await em.execute(`set local statement_timeout = ${Math.max(1, Math.round(ctx.options.operationTimeoutMs))}`);
    await em.execute('select pg_sleep(5)');
  },
  (error) => error instanceof OperationTimeoutError || sqlstateOf(error) === '57014',
);

/** Raises `sqlstate` on the server in the current transaction (a do block: no function to install). */
export function raiseSqlstate(em: EntityManager, sqlstate: string): Promise<unknown> {
  if (!/^[0-9A-Z]{5}$/.test(sqlstate)) throw new RangeError(`not a SQLSTATE: ${sqlstate}`);
  return em.execute(`do $$ begin raise exception 'perf-gate injected ${sqlstate}' using errcode = '${sqlstate}'; end $$`);
}
