/**
 * What every session-leak scenario checks at its end: no session left open, as many closed as
 * opened, none collected while still open, and the pool back to no connection in use.
 */
import type { PoolStats } from '../../db/pool-stats.js';
import type { SessionCounts } from '../../db/session-tracker.js';
import type { Check, Metric } from '../../results/types.js';
import { toMetric } from '../harness/latency-metrics.js';
import { settleGc } from '../harness/memory.js';
import { waitForPoolIdle } from '../resource-metrics.js';
import { check } from '../scenario.js';
import type { DataLayerUnderTest } from '../subject.js';

/** Sessions opened, closed and leaked during a scenario, and those open at its end. */
export interface SessionDelta {
  opened: number;
  closed: number;
  leaked: number;
  open: number;
}

/** Starts a scenario's window on the tracker: a fresh peak, and the counts to subtract later. */
export function openSessionWindow(db: DataLayerUnderTest): SessionCounts {
  db.sessions.resetPeak();
  return db.sessions.snapshot();
}

/** Counts since `before`, read after a settled GC so a dropped session has been noticed. */
export async function sessionDelta(db: DataLayerUnderTest, before: SessionCounts): Promise<SessionDelta> {
  await settleGc();
  const now = db.sessions.snapshot();
  return {
    opened: now.opened - before.opened,
    closed: now.closed - before.closed,
    leaked: now.leaked - before.leaked,
    open: now.open,
  };
}

/** The cleanup criteria every session scenario ends on, measured on the shared data layer. */
export function cleanupChecks(delta: SessionDelta, pool: PoolStats): Check[] {
  return [
    check('no_sessions_open', delta.open === 0, delta.open, '0'),
    check('opened_equals_closed', delta.opened === delta.closed, `opened ${delta.opened}, closed ${delta.closed}`, 'equal'),
    check('no_sessions_leaked', delta.leaked === 0, delta.leaked, '0'),
    check('pool_in_use_zero', pool.inUse === 0, pool.inUse, '0'),
  ];
}

/** The session counters as metrics. */
export function sessionMetrics(delta: SessionDelta): Record<string, Metric> {
  return {
    sessions_opened: toMetric('sessions_opened', delta.opened),
    sessions_closed: toMetric('sessions_closed', delta.closed),
    sessions_leaked: toMetric('sessions_leaked', delta.leaked),
  };
}

/** Ends a scenario's window: the counts, the idle pool, the cleanup checks and their metrics. */
export async function closeSessionWindow(
  db: DataLayerUnderTest,
  before: SessionCounts,
): Promise<{ delta: SessionDelta; pool: PoolStats; checks: Check[]; metrics: Record<string, Metric> }> {
  const pool = await waitForPoolIdle(db);
  const delta = await sessionDelta(db, before);
  return { delta, pool, checks: cleanupChecks(delta, pool), metrics: sessionMetrics(delta) };
}
