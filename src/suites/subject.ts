/**
 * The seam between the suites and the data layer they measure. Every scenario, the seeding and the
 * runner reach the data layer under test through this interface only: the operations the four
 * categories exercise (reads, writes, sessions with their repositories), the pool's statistics,
 * the session counts and the resilience policies' record. The run hands the suites a factory that
 * opens one, so they never name a concrete class: today db/data-layer.ts implements it (checked in
 * run/own-data-layer.ts); another build of the data layer can plug in at the same place.
 */
import type { Session, SessionOptions } from '../db/data-layer.js';
import type { PoolStats } from '../db/pool-stats.js';
import type { BreakerState, ResilienceStats } from '../db/resilience/policy.js';
import type { SessionCounts } from '../db/session-tracker.js';
import type { DbSettings } from '../db/settings.js';

export type { Session, SessionOptions } from '../db/data-layer.js';

/** The session counter the sessions category reads. */
export interface SessionCounter {
  snapshot(): SessionCounts;
  /** Starts a new peak window (e.g. per scenario) without losing the totals. */
  resetPeak(): void;
}

/** What the retry category reads of the retry and breaker policies. */
export interface ResilienceRecord {
  readonly breakerState: BreakerState;
  snapshot(): ResilienceStats;
}

/** The data layer under test, as the suites use it. */
export interface DataLayerUnderTest {
  /** The settings it was opened with (URL, pool, retry, breaker, operation timeout). */
  readonly settings: DbSettings;
  readonly sessions: SessionCounter;
  readonly resilience: ResilienceRecord;
  /** Runs `fn` in a fresh session that always ends (rolled back on error). */
  withSession<T>(fn: (session: Session) => Promise<T>, options?: SessionOptions): Promise<T>;
  /** A read: retried on transient failures, behind the breaker. */
  read<T>(fn: (session: Session) => Promise<T>, options?: Omit<SessionOptions, 'transactional'>): Promise<T>;
  /** A write: one transaction, retried as a whole when it provably did not commit, behind the breaker. */
  write<T>(fn: (session: Session) => Promise<T>, options?: Omit<SessionOptions, 'transactional'>): Promise<T>;
  poolStats(): PoolStats;
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

/** Opens a data layer under test with `settings` (the run's, or a scenario's variation of them). */
export type OpenDataLayer = (settings: DbSettings) => Promise<DataLayerUnderTest>;
