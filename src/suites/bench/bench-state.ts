/**
 * State the bench scenarios share within one run on one data layer: reference measurements a
 * later scenario compares itself with (bulk.individual:N for bulk.bulk:N, whose calls are too slow
 * to measure twice), the counter behind unique usernames, and the pool of the category's own users.
 * (Pagination, concurrency and transaction sizes compare themselves in interleaved rounds instead.)
 *
 * Keyed by the data layer, so two runs never mix. A reference older than {@link REFERENCE_MAX_AGE_MS}
 * (e.g. a confirmation re-run of one scenario minutes later) is not used: the scenario measures
 * the reference again itself, as it does when run alone.
 */
import type { DataLayerUnderTest } from '../subject.js';

/** How long a reference measurement stays comparable with a new one (ms). */
export const REFERENCE_MAX_AGE_MS = 60_000;

/** A latency a later scenario compares with, in ms per call. */
export interface Reference {
  /** Median latency of one call (ms). */
  p50Ms: number;
  /** Mean latency of one call (ms). */
  avgMs: number;
  /** When it was measured (performance.now()). */
  at: number;
}

export interface BenchState {
  references: Map<string, Reference>;
  /** Users created so far by the category (for unique usernames). */
  created: number;
  /** Start time of the state, base 36: keeps usernames unique on a database kept from an earlier run. */
  tag: string;
  /** The category's own users for updates, soft deletes and restores; undefined until made. */
  userPool: string[] | undefined;
}

const states = new WeakMap<DataLayerUnderTest, BenchState>();

/** The state of the category on this data layer, created on first use. */
export function benchState(db: DataLayerUnderTest): BenchState {
  let state = states.get(db);
  if (!state) {
    state = { references: new Map(), created: 0, tag: Date.now().toString(36), userPool: undefined };
    states.set(db, state);
  }
  return state;
}

/** Keeps a measurement for later scenarios of the run. */
export function rememberReference(db: DataLayerUnderTest, key: string, figures: { p50Ms: number; avgMs: number }): void {
  benchState(db).references.set(key, { ...figures, at: performance.now() });
}

/** A reference measured recently on this data layer, or undefined. */
export function recallReference(db: DataLayerUnderTest, key: string): Reference | undefined {
  const reference = benchState(db).references.get(key);
  return reference && performance.now() - reference.at <= REFERENCE_MAX_AGE_MS ? reference : undefined;
}

/**
 * The reference `key` from earlier in the run, or, when there is none (the scenario runs alone, or
 * the reference is stale), measured now by `measure`, which should also remember it.
 */
export async function recallOrMeasure(
  db: DataLayerUnderTest,
  key: string,
  measure: () => Promise<{ p50Ms: number; avgMs: number }>,
): Promise<{ p50Ms: number; avgMs: number }> {
  return recallReference(db, key) ?? (await measure());
}
