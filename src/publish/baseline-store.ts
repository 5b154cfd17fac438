import type { ResultsDocument } from '../results/types.js';

/** Where a stored run came from, enough to pick a history and to prune. */
export interface StoredRunKey {
  /** Branch the run was made on (the default branch for baselines). */
  branch: string;
  sha: string;
  /** ISO time the run started. */
  startedAt: string;
}

/** A document that could not be used, reported instead of silently dropped or overwritten. */
export interface SkippedRun {
  location: string;
  reason: string;
}

export interface HistoryQuery {
  branch: string;
  /** How many of the newest runs to return. */
  limit: number;
  /**
   * Only runs whose sha is one of these (e.g. the base branch's commits up to the merge base);
   * when absent, the newest runs of the branch.
   */
  shas?: readonly string[];
}

export interface History {
  /** Newest first. */
  runs: ResultsDocument[];
  skipped: SkippedRun[];
}

/**
 * Keeps results documents of default-branch runs. Append-only: each run is its own entry keyed by
 * commit and time, so two writers never overwrite each other; old entries are pruned past a
 * retention count.
 */
export interface BaselineStore {
  /** Human-readable place, for logs and reports. */
  readonly description: string;
  readHistory(query: HistoryQuery): Promise<History>;
  /** Appends one run and prunes the branch's runs past `retention`. Returns where it went. */
  append(doc: ResultsDocument, key: StoredRunKey, retention: number): Promise<string>;
}
